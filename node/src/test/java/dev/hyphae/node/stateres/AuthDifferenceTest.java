package dev.hyphae.node.stateres;

import static dev.hyphae.node.stateres.TestRoom.ALICE;
import static dev.hyphae.node.stateres.TestRoom.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyphae.node.event.StateKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthDifferenceTest {
    private static final StateKey CREATE = StateKey.of("m.room.create", "");
    private static final StateKey PL = StateKey.of("m.room.power_levels", "");
    private static final StateKey TOPIC = StateKey.of("m.room.topic", "");

    @Test
    void eventsInSomeButNotAllFullAuthChainsFormTheDifference() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("PL1", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("PL2", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL1", "MA"));
        room.add("T1", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL2", "MA"));
        room.add("T2", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        List<Map<StateKey, String>> sets = List.of(
                Map.of(CREATE, "CREATE", PL, "PL0", TOPIC, "T1"),
                Map.of(CREATE, "CREATE", PL, "PL0", TOPIC, "T2"));
        ResolutionEvents events = room.resolutionEvents();
        Set<String> difference = AuthDifference.of(sets, StateConflicts.of(sets), events.authChain());
        // T1's chain has PL2 and PL1, T2's has neither; CREATE, MA and PL0 are in both.
        assertEquals(Set.of("PL1", "PL2"), difference);
    }

    @Test
    void identicalChainsHaveNoDifference() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("T1", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("T2", BOB, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        List<Map<StateKey, String>> sets = List.of(Map.of(TOPIC, "T1"), Map.of(TOPIC, "T2"));
        ResolutionEvents events = room.resolutionEvents();
        assertEquals(Set.of(), AuthDifference.of(sets, StateConflicts.of(sets), events.authChain()));
    }

    @Test
    void keysMissingFromSomeSetsAreConflicted() {
        List<Map<StateKey, String>> sets = List.of(Map.of(CREATE, "CREATE", TOPIC, "T1"), Map.of(CREATE, "CREATE"));
        StateConflicts conflicts = StateConflicts.of(sets);
        assertEquals(Map.of(CREATE, "CREATE"), conflicts.unconflicted());
        assertEquals(Set.of("T1"), conflicts.conflicted());
    }
}
