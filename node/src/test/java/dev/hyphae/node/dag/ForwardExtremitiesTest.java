package dev.hyphae.node.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardExtremitiesTest {

    @Test
    void aNewEventReplacesItsPrevEventsAsExtremity() {
        ForwardExtremities extremities = ForwardExtremities.empty()
                .withEvent("$1", List.of(), false)
                .withEvent("$2", List.of("$1"), false);
        assertEquals(Set.of("$2"), extremities.eventIds());
    }

    @Test
    void forkedBranchesAreAllExtremitiesUntilMerged() {
        // The DAG of the server-server API's PDU section: E1 <- E2 <- E3 <- E4, E2 <- E5 <- E6.
        ForwardExtremities extremities = ForwardExtremities.empty()
                .withEvent("E1", List.of(), false)
                .withEvent("E2", List.of("E1"), false)
                .withEvent("E3", List.of("E2"), false)
                .withEvent("E4", List.of("E3"), false)
                .withEvent("E5", List.of("E2"), false)
                .withEvent("E6", List.of("E5"), false);
        assertEquals(Set.of("E4", "E6"), extremities.eventIds());
        assertEquals(Set.of("E7"), extremities.withEvent("E7", List.of("E4", "E6"), false).eventIds());
    }

    @Test
    void aLateEventThatAlreadyHasAChildDoesNotBecomeAnExtremity() {
        ForwardExtremities extremities = ForwardExtremities.of(List.of("$child"))
                .withEvent("$late", List.of("$older"), true);
        assertEquals(Set.of("$child"), extremities.eventIds());
    }

    @Test
    void addingLeavesTheOriginalUnchanged() {
        ForwardExtremities before = ForwardExtremities.of(List.of("$1"));
        before.withEvent("$2", List.of("$1"), false);
        assertEquals(Set.of("$1"), before.eventIds());
    }
}
