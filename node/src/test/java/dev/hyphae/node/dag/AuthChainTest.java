package dev.hyphae.node.dag;

import static dev.hyphae.node.dag.DagEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.node.event.Pdu;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthChainTest {
    private final Map<String, Pdu> events = new HashMap<>();
    private final AtomicInteger loads = new AtomicInteger();

    private AuthChain chain() {
        add("C", List.of());
        add("M", List.of("C"));
        add("P", List.of("C", "M"));
        add("J", List.of("C", "P", "M"));
        add("X", List.of("C", "P", "J"));
        return new AuthChain(id -> {
            loads.incrementAndGet();
            return Optional.ofNullable(events.get(id));
        });
    }

    private void add(String id, List<String> auth) {
        events.put(id, event(id, 1, 0, List.of(), auth));
    }

    @Test
    void theChainHoldsAllAuthEventsRecursivelyButNotTheEventItself() {
        assertEquals(Set.of("C", "M", "P", "J"), chain().of("X"));
        assertEquals(Set.of(), chain().of("C"));
    }

    @Test
    void theChainOfASetIsTheUnionOfTheirChains() {
        assertEquals(Set.of("C", "M"), chain().of(List.of("P", "M")));
        assertEquals(Set.of("C", "M", "P"), chain().of(List.of("J", "M")));
    }

    @Test
    void walksStopAtKnownEvents() {
        AuthChain chain = chain();
        Set<String> common = chain.of("J");
        assertEquals(Set.of("J"), chain.of(List.of("X"), common));
    }

    @Test
    void eachEventIsLoadedOnce() {
        AuthChain chain = chain();
        chain.of("X");
        chain.of("J");
        chain.of(List.of("X", "P"));
        assertEquals(5, loads.get());
    }

    @Test
    void aMissingAuthEventIsReportedByItsId() {
        add("Y", List.of("C", "GONE"));
        AuthChain chain = chain();
        MissingEventException missing = assertThrows(MissingEventException.class, () -> chain.of("Y"));
        assertEquals("GONE", missing.eventId());
    }
}
