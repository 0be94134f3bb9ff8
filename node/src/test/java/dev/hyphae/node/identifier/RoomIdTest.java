package dev.hyphae.node.identifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomIdTest {

    @Test
    void roomIdWithServerNameKeepsIt() {
        RoomId id = RoomId.parse("!abc123:matrix.org");
        assertEquals("matrix.org", id.serverName().orElseThrow().toString());
        assertFalse(id.isHashForm());
    }

    @Test
    void roomVersion12RoomIdHasNoServerName() {
        RoomId id = RoomId.parse("!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ");
        assertTrue(id.isHashForm());
        assertTrue(id.serverName().isEmpty());
    }

    @Test
    void roomIdDerivesFromCreateEventId() {
        EventId create = EventId.parse("$Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ");
        assertEquals("!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ", RoomId.fromCreateEventId(create).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc:matrix.org", "!:matrix.org", "!abc", "!abc:", "!abc:bad host",
            "!Nhcu5BS+UMnFX7hBVfVSoXiD7OgH6iRT/xyIuqDnpYQ", "!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpY", "!a\u0000:x.org"})
    void malformedRoomIdsAreRejected(String input) {
        assertThrows(InvalidIdentifierException.class, () -> RoomId.parse(input));
    }

    @Test
    void roomIdsLongerThan255BytesAreRejected() {
        assertThrows(InvalidIdentifierException.class, () -> RoomId.parse("!" + "a".repeat(250) + ":x.org"));
    }
}
