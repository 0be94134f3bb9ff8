package dev.hyphae.node.stateres;

import static dev.hyphae.node.stateres.TestRoom.ALICE;
import static dev.hyphae.node.stateres.TestRoom.BOB;
import static dev.hyphae.node.stateres.TestRoom.CHARLIE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReverseTopologicalPowerOrderingTest {
    private static final String LEVELS = "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}";

    @Test
    void higherPowerSenderComesFirstAmongCandidates() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("PL1", ALICE, "m.room.power_levels", "", LEVELS, List.of("CREATE", "PL0", "MA"));
        room.add("B", BOB, "m.room.join_rules", "", "{}", List.of("CREATE", "PL1"), 1);
        room.add("A", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL1", "MA"), 9);
        room.add("C", CHARLIE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL1"), 0);
        assertEquals(List.of("A", "B", "C"),
                ReverseTopologicalPowerOrdering.sort(List.of("C", "B", "A"), room.resolutionEvents()));
    }

    @Test
    void samePowerIsOrderedByTimestampThenEventId() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("$b", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL0", "MA"), 5);
        room.add("$a", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL0", "MA"), 5);
        room.add("$c", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL0", "MA"), 4);
        assertEquals(List.of("$c", "$a", "$b"),
                ReverseTopologicalPowerOrdering.sort(List.of("$a", "$b", "$c"), room.resolutionEvents()));
    }

    @Test
    void authEventsComeBeforeTheEventsTheyAuthoriseWhateverTheirPower() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("PL1", ALICE, "m.room.power_levels", "", LEVELS, List.of("CREATE", "PL0", "MA"));
        room.add("MB", BOB, "m.room.member", BOB, "{\"membership\":\"join\"}", List.of("CREATE", "PL1"));
        // Bob's event is older and names MB; Alice's topic is newer and not connected.
        room.add("BOB_JR", BOB, "m.room.join_rules", "", "{}", List.of("CREATE", "PL1", "MB"), 1);
        room.add("ALICE_JR", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL1", "MA"), 99);
        assertEquals(List.of("PL1", "ALICE_JR", "MB", "BOB_JR"),
                ReverseTopologicalPowerOrdering.sort(List.of("BOB_JR", "MB", "ALICE_JR", "PL1"),
                        room.resolutionEvents()));
    }

    @Test
    void withoutPowerLevelsTheCreatorHas100AndOthersZero() {
        TestRoom room = new TestRoom("10");
        room.add("CREATE", ALICE, "m.room.create", "", "{\"creator\":\"" + ALICE + "\"}", List.of());
        room.add("MA", ALICE, "m.room.member", ALICE, "{\"membership\":\"join\"}", List.of("CREATE"));
        room.add("X", BOB, "m.room.join_rules", "", "{}", List.of("CREATE"), 1);
        room.add("Y", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "MA"), 2);
        ResolutionEvents events = room.resolutionEvents();
        assertEquals(100, events.senderPower("Y"));
        assertEquals(0, events.senderPower("X"));
        assertEquals(List.of("MA", "Y", "X"), ReverseTopologicalPowerOrdering.sort(List.of("X", "Y", "MA"), events));
    }

    @Test
    void stringPowerLevelsOfOldRoomVersionsAreParsed() {
        TestRoom room = new TestRoom("1");
        room.add("CREATE", ALICE, "m.room.create", "", "{\"creator\":\"" + ALICE + "\"}", List.of());
        room.add("PL", ALICE, "m.room.power_levels", "", "{\"users\":{\"" + BOB + "\":\" 75 \"},\"users_default\":\"5\"}",
                List.of("CREATE"));
        room.add("B", BOB, "m.room.topic", "", "{}", List.of("CREATE", "PL"));
        room.add("C", CHARLIE, "m.room.topic", "", "{}", List.of("CREATE", "PL"));
        ResolutionEvents events = room.resolutionEvents();
        assertEquals(75, events.senderPower("B"));
        assertEquals(5, events.senderPower("C"));
    }

    @Test
    void floatPowerLevelsOfOldRoomVersionsAreTruncated() {
        TestRoom room = new TestRoom("1");
        room.add("CREATE", ALICE, "m.room.create", "", "{\"creator\":\"" + ALICE + "\"}", List.of());
        room.add("PL", ALICE, "m.room.power_levels", "", "{\"users\":{\"" + BOB + "\":50.57}}", List.of("CREATE"));
        room.add("B", BOB, "m.room.topic", "", "{}", List.of("CREATE", "PL"));
        assertEquals(50, room.resolutionEvents().senderPower("B"));
    }

    @Test
    void fromRoomVersion10OnlyIntegersCount() {
        TestRoom room = new TestRoom("10");
        room.add("CREATE", ALICE, "m.room.create", "", "{\"creator\":\"" + ALICE + "\"}", List.of());
        room.add("PL", ALICE, "m.room.power_levels", "", "{\"users\":{\"" + BOB + "\":\"75\"},\"users_default\":3}",
                List.of("CREATE"));
        room.add("B", BOB, "m.room.topic", "", "{}", List.of("CREATE", "PL"));
        assertEquals(3, room.resolutionEvents().senderPower("B"));
    }

    @Test
    void inRoomVersion12CreatorsHaveInfinitePower() {
        TestRoom room = new TestRoom("12");
        // The test room's ID is !room:example.com, so its create event's ID is $room:example.com.
        room.add("$room:example.com", ALICE, "m.room.create", "",
                "{\"additional_creators\":[\"" + BOB + "\"]}", List.of());
        room.add("PL", ALICE, "m.room.power_levels", "", "{\"users\":{\"" + CHARLIE + "\":99}}", List.of());
        room.add("A", ALICE, "m.room.join_rules", "", "{}", List.of("PL"), 3);
        room.add("B", BOB, "m.room.join_rules", "", "{}", List.of("PL"), 2);
        room.add("C", CHARLIE, "m.room.join_rules", "", "{}", List.of("PL"), 1);
        ResolutionEvents events = room.resolutionEvents();
        assertEquals(Long.MAX_VALUE, events.senderPower("A"));
        assertEquals(Long.MAX_VALUE, events.senderPower("B"));
        assertEquals(99, events.senderPower("C"));
        // Both creators outrank Charlie; between them the earlier timestamp goes first.
        assertEquals(List.of("B", "A", "C"), ReverseTopologicalPowerOrdering.sort(List.of("C", "A", "B"), events));
    }
}
