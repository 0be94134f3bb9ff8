package dev.hyphae.node.stateres;

import static dev.hyphae.node.stateres.TestRoom.ALICE;
import static dev.hyphae.node.stateres.TestRoom.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainlineOrderingTest {
    private TestRoom room;

    @BeforeEach
    void room() {
        room = new TestRoom("10").withBasics();
        // Mainline PL2 -> PL1 -> PL0; PLX branches off PL1.
        room.add("PL1", ALICE, "m.room.power_levels", "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}",
                List.of("CREATE", "PL0", "MA"));
        room.add("PL2", ALICE, "m.room.power_levels", "", "{\"users\":{\"" + ALICE + "\":100}}",
                List.of("CREATE", "PL1", "MA"));
        room.add("PLX", BOB, "m.room.power_levels", "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}",
                List.of("CREATE", "PL1"));
        room.add("T_ON_PL2", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL2", "MA"), 50);
        room.add("T_ON_PL0", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"), 60);
        room.add("T_ON_PLX", BOB, "m.room.topic", "", "{}", List.of("CREATE", "PLX"), 40);
        room.add("T_NO_PL", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "MA"), 70);
        room.add("T_ON_PL2_SAME_TS_A", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL2", "MA"), 50);
    }

    @Test
    void mainlineFollowsPowerLevelsAuthEventsBackToTheFirst() {
        MainlineOrdering ordering = new MainlineOrdering(Optional.of("PL2"), room.resolutionEvents());
        assertEquals(List.of("PL2", "PL1", "PL0"), ordering.mainline());
    }

    @Test
    void positionIsTheIndexOfTheFirstMainlineEventReached() {
        MainlineOrdering ordering = new MainlineOrdering(Optional.of("PL2"), room.resolutionEvents());
        assertEquals(0, ordering.position("T_ON_PL2"));
        assertEquals(2, ordering.position("T_ON_PL0"));
        // PLX is not on the mainline, but its own power levels auth event PL1 is.
        assertEquals(1, ordering.position("T_ON_PLX"));
        assertEquals(MainlineOrdering.INFINITY, ordering.position("T_NO_PL"));
        // The event itself (e0) is not part of its list: PL2's position comes from PL1.
        assertEquals(1, ordering.position("PL2"));
    }

    @Test
    void greaterPositionSortsFirstThenTimestampThenEventId() {
        MainlineOrdering ordering = new MainlineOrdering(Optional.of("PL2"), room.resolutionEvents());
        List<String> sorted = ordering.sort(
                List.of("T_ON_PL2_SAME_TS_A", "T_ON_PL2", "T_ON_PLX", "T_NO_PL", "T_ON_PL0"));
        assertEquals(List.of("T_NO_PL", "T_ON_PL0", "T_ON_PLX", "T_ON_PL2", "T_ON_PL2_SAME_TS_A"), sorted);
    }

    @Test
    void withoutPowerLevelsEveryPositionIsInfiniteAndTimestampsDecide() {
        MainlineOrdering ordering = new MainlineOrdering(Optional.empty(), room.resolutionEvents());
        assertEquals(List.of("T_ON_PLX", "T_ON_PL2", "T_ON_PL2_SAME_TS_A", "T_ON_PL0"),
                ordering.sort(List.of("T_ON_PL0", "T_ON_PL2_SAME_TS_A", "T_ON_PLX", "T_ON_PL2")));
    }
}
