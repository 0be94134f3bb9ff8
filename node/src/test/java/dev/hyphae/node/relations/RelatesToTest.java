package dev.hyphae.node.relations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersions;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelatesToTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWellFormedRelationIsRead() {
        assertEquals(Optional.of(new RelatesTo("m.thread", "$root")),
                RelatesTo.of(event("m.room.message", null, "{\"m.relates_to\": {\"rel_type\": \"m.thread\", \"event_id\": \"$root\"}}")));
    }

    @Test
    void relationsThatBreakTheSchemaAreIgnored() {
        assertEquals(Optional.empty(), RelatesTo.of(event("m.room.message", null, "{\"m.relates_to\": {\"event_id\": \"$root\"}}")));
        assertEquals(Optional.empty(), RelatesTo.of(event("m.room.message", null,
                "{\"m.relates_to\": {\"rel_type\": \"m.thread\", \"event_id\": 7}}")));
        assertEquals(Optional.empty(), RelatesTo.of(event("m.room.message", null,
                "{\"m.relates_to\": {\"rel_type\": \"m.thread\", \"event_id\": \"$self\"}}")));
        assertEquals(Optional.empty(), RelatesTo.of(event("m.room.message", null,
                "{\"m.relates_to\": {\"m.in_reply_to\": {\"event_id\": \"$root\"}}}")), "replies have no rel_type");
    }

    @Test
    void aReplacementNeedsNewContentUnlessEncryptedAndCannotBeAStateEvent() {
        String replace = "\"m.relates_to\": {\"rel_type\": \"m.replace\", \"event_id\": \"$orig\"}";
        assertEquals(Optional.empty(), RelatesTo.of(event("m.room.message", null, "{" + replace + "}")));
        assertEquals(Optional.of(new RelatesTo("m.replace", "$orig")), RelatesTo.of(event("m.room.message", null,
                "{" + replace + ", \"m.new_content\": {\"body\": \"b\"}}")));
        assertEquals(Optional.of(new RelatesTo("m.replace", "$orig")), RelatesTo.of(event("m.room.encrypted", null,
                "{" + replace + ", \"ciphertext\": \"x\"}")));
        assertEquals(Optional.empty(), RelatesTo.of(event("m.room.topic", "",
                "{" + replace + ", \"m.new_content\": {\"topic\": \"t\"}}")));
    }

    private static Pdu event(String type, String stateKey, String content) {
        try {
            ObjectNode json = JSON.createObjectNode();
            json.put("type", type);
            json.put("room_id", "!room:example.onion");
            json.put("sender", "@alice:example.onion");
            if (stateKey != null) {
                json.put("state_key", stateKey);
            }
            json.set("content", JSON.readTree(content));
            return new Pdu("$self", json, RoomVersions.find("12").orElseThrow());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
