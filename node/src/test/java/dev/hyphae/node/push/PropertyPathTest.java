package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropertyPathTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dotsSeparateNamesAndEscapedDotsAndBackslashesAreLiteral() {
        assertEquals(List.of("content", "body"), PropertyPath.parse("content.body").names());
        assertEquals(List.of("content", "m.relates_to", "rel_type"),
                PropertyPath.parse("content.m\\.relates_to.rel_type").names());
        assertEquals(List.of("content", "m\\foo"), PropertyPath.parse("content.m\\\\foo").names());
    }

    @Test
    void otherEscapesStayAsWritten() {
        assertEquals(List.of("content", "a\\xb"), PropertyPath.parse("content.a\\xb").names());
        assertEquals(List.of("a\\"), PropertyPath.parse("a\\").names());
    }

    @Test
    void lookupFollowsObjectsAndIsEmptyWhenAStepIsMissingOrNotAnObject() throws Exception {
        var event = JSON.readTree("{\"content\":{\"m.mentions\":{\"room\":true},\"body\":\"hi\",\"list\":[1]}}");
        assertEquals(Optional.of(TextNode.valueOf("hi")), PropertyPath.parse("content.body").lookup(event));
        assertTrue(PropertyPath.parse("content.m\\.mentions.room").lookup(event).orElseThrow().asBoolean());
        assertTrue(PropertyPath.parse("content.m.mentions.room").lookup(event).isEmpty());
        assertTrue(PropertyPath.parse("content.body.x").lookup(event).isEmpty());
        assertTrue(PropertyPath.parse("content.list.0").lookup(event).isEmpty());
    }

    @Test
    void toStringEscapesWhatParseUnescapes() {
        String path = "content.m\\.relates_to.m\\\\x";
        assertEquals(path, PropertyPath.parse(path).toString());
    }
}
