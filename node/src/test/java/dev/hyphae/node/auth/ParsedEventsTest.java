package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomFixture.ALICE;
import static dev.hyphae.node.auth.RoomFixture.BOB;
import static dev.hyphae.node.auth.RoomFixture.MOD;
import static dev.hyphae.node.auth.RoomFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import org.junit.jupiter.api.Test;

class ParsedEventsTest {

    @Test
    void contentIsParsedOncePerEventInstance() {
        RoomFixture room = RoomFixture.room("12");
        ParsedEvents parsed = new ParsedEvents();
        Pdu event = room.message(BOB, "m.x");
        assertSame(parsed.content(event), parsed.content(event));
        Pdu powerLevels = room.state("m.room.power_levels", "", ALICE, obj("ban", 10));
        assertSame(parsed.powerLevels(powerLevels), parsed.powerLevels(powerLevels));
    }

    @Test
    void eventsWithTheSameIdDoNotShareParsedContent() {
        RoomFixture room = RoomFixture.room("12");
        ParsedEvents parsed = new ParsedEvents();
        ObjectNode json = obj("type", "m.room.power_levels", "state_key", "", "sender", ALICE,
                "room_id", room.roomId, "content", obj("ban", 10));
        Pdu first = new Pdu("$same", json, room.version);
        json.set("content", obj("ban", 20));
        Pdu second = new Pdu("$same", json, room.version);
        assertEquals(10L, parsed.powerLevels(first).ban());
        assertEquals(20L, parsed.powerLevels(second).ban());
    }

    @Test
    void repeatedChecksAgainstTheSameStateGiveTheSameDecisions() {
        RoomFixture room = RoomFixture.room("11").joined(MOD);
        Pdu allowed = room.state("m.room.topic", "", MOD, obj("topic", "t"));
        Pdu rejected = room.state("m.room.topic", "", BOB, obj("topic", "t"));
        for (int i = 0; i < 3; i++) {
            assertTrue(room.check(allowed).allowed());
            assertFalse(room.check(rejected).allowed());
        }
    }
}
