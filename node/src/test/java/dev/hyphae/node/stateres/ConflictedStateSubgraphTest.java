package dev.hyphae.node.stateres;

import static dev.hyphae.node.stateres.TestRoom.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConflictedStateSubgraphTest {

    @Test
    void eventsOnAuthPathsBetweenConflictedEventsAreIncluded() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("PL1", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("PL2", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL1", "MA"));
        room.add("PL3", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL2", "MA"));
        room.add("T", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL3", "MA"));
        // Conflicted: T and PL1. Paths T -> PL3 -> PL2 -> PL1; PL0, MA and CREATE lie below PL1 only.
        Set<String> subgraph = ConflictedStateSubgraph.of(Set.of("T", "PL1"), room.resolutionEvents().authChain());
        assertEquals(Set.of("T", "PL3", "PL2", "PL1"), subgraph);
    }

    @Test
    void unrelatedConflictedEventsGiveNoPaths() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("T1", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("T2", ALICE, "m.room.topic", "", "{}", List.of("CREATE", "PL0", "MA"));
        assertEquals(Set.of(),
                ConflictedStateSubgraph.of(Set.of("T1", "T2"), room.resolutionEvents().authChain()));
    }

    @Test
    void branchesThatDoNotLeadBackToTheConflictedSetAreLeftOut() {
        TestRoom room = new TestRoom("10").withBasics();
        room.add("PL1", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("SIDE", ALICE, "m.room.join_rules", "", "{}", List.of("CREATE", "PL0", "MA"));
        room.add("MID", ALICE, "m.room.power_levels", "", "{}", List.of("CREATE", "PL1", "MA"));
        room.add("TOP", ALICE, "m.room.member", "@x:example.com", "{\"membership\":\"join\"}",
                List.of("CREATE", "MID", "SIDE"));
        assertEquals(Set.of("TOP", "MID", "PL1"),
                ConflictedStateSubgraph.of(Set.of("TOP", "PL1"), room.resolutionEvents().authChain()));
    }
}
