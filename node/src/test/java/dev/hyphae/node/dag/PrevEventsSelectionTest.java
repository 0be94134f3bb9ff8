package dev.hyphae.node.dag;

import static dev.hyphae.node.dag.DagEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.node.event.Pdu;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrevEventsSelectionTest {

    @Test
    void atMostTenNewestExtremitiesAreChosen() {
        List<Pdu> extremities = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            extremities.add(event("$e" + (char) ('a' + i), i, 0, List.of(), List.of()));
        }
        List<String> chosen = new PrevEventsSelection().select(extremities);
        assertEquals(10, chosen.size());
        assertEquals("$eo", chosen.get(0));
        assertEquals("$ef", chosen.get(9));
    }

    @Test
    void equalDepthIsDecidedByTimestampThenEventId() {
        List<String> chosen = new PrevEventsSelection(2).select(List.of(
                event("$b", 5, 10, List.of(), List.of()),
                event("$a", 5, 10, List.of(), List.of()),
                event("$c", 5, 20, List.of(), List.of())));
        assertEquals(List.of("$c", "$a"), chosen);
    }

    @Test
    void fewerExtremitiesThanTheLimitAreAllChosen() {
        assertEquals(List.of("$x"), new PrevEventsSelection().select(List.of(event("$x", 1, 0, List.of(), List.of()))));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PrevEventsSelection(0));
    }
}
