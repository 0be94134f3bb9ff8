package dev.hyphae.node.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PduTest {
    private static final RoomVersion V12 = RoomVersions.get("12");

    private static ObjectNode member() {
        return CanonicalJson.parseObject("{\"type\":\"m.room.member\",\"sender\":\"@a:x\",\"state_key\":\"@b:x\","
                + "\"room_id\":\"!r\",\"content\":{\"membership\":\"join\"},\"depth\":7,\"origin_server_ts\":1234,"
                + "\"prev_events\":[\"$p\"],\"auth_events\":[\"$a1\",\"$a2\"]}");
    }

    @Test
    void accessorsReadTheEventGivenToTheConstructor() {
        Pdu pdu = new Pdu("$e", member(), V12);
        assertEquals("m.room.member", pdu.type());
        assertEquals("@a:x", pdu.sender());
        assertEquals(Optional.of("@b:x"), pdu.stateKey());
        assertEquals(Optional.of(StateKey.of("m.room.member", "@b:x")), pdu.stateTuple());
        assertEquals(List.of("$p"), pdu.prevEventIds());
        assertEquals(List.of("$a1", "$a2"), pdu.authEventIds());
        assertEquals(7, pdu.depth());
        assertEquals(1234, pdu.originServerTs());
        assertEquals("!r", pdu.roomId());
        assertFalse(pdu.isCreate());
    }

    @Test
    void constructorCopiesSoLaterChangesToTheInputDoNotShow() {
        ObjectNode json = member();
        Pdu pdu = new Pdu("$e", json, V12);
        json.put("type", "m.room.name");
        json.with("content").put("membership", "leave");
        assertEquals("m.room.member", pdu.type());
        assertEquals("join", pdu.contentView().path("membership").asText());
    }

    @Test
    void contentViewIsTheEventsOwnContentAndContentIsACopy() {
        Pdu pdu = new Pdu("$e", member(), V12);
        assertSame(pdu.contentView(), pdu.contentView());
        assertNotSame(pdu.contentView(), pdu.content());
        assertEquals(pdu.contentView(), pdu.content());
        pdu.content().put("membership", "ban");
        assertEquals("join", pdu.contentView().path("membership").asText());
    }

    @Test
    void eventWithoutContentHasAnEmptyContentView() {
        ObjectNode json = member();
        json.remove("content");
        Pdu pdu = new Pdu("$e", json, V12);
        assertTrue(pdu.contentView().isEmpty());
        assertTrue(pdu.content().isEmpty());
    }

    @Test
    void referenceListsCannotBeChanged() {
        Pdu pdu = new Pdu("$e", member(), V12);
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> pdu.authEventIds().add("$x"));
    }
}
