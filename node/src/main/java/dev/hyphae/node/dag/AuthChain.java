package dev.hyphae.node.dag;

import dev.hyphae.node.event.Pdu;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Auth chains: the events reachable from an event by following {@code auth_events} links,
 * stretching back to the start of the room (server-server API, "auth chain").
 *
 * <p>Each event's auth event list is read once and kept, so many chains over the same room cost
 * one pass over its auth graph each, without touching event JSON again. Not thread-safe.
 */
public final class AuthChain {
    private final Function<String, Optional<Pdu>> events;
    private final Map<String, List<String>> authEvents = new HashMap<>();

    public AuthChain(Function<String, Optional<Pdu>> events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /** The auth chain of one event (not including the event itself, unless it is its own ancestor). */
    public Set<String> of(String eventId) {
        return of(List.of(eventId));
    }

    /**
     * The union of the auth chains of {@code eventIds}.
     *
     * @throws MissingEventException when an event on the way cannot be loaded
     */
    public Set<String> of(Collection<String> eventIds) {
        return of(eventIds, Set.of());
    }

    /**
     * The union of the auth chains of {@code eventIds}, not walking past events in {@code known}.
     * When {@code known} is itself closed under auth links (an auth chain), the result together with
     * {@code known} is the full chain; this lets callers share the common part of many chains.
     */
    public Set<String> of(Collection<String> eventIds, Set<String> known) {
        Set<String> chain = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (String id : eventIds) {
            for (String auth : authEventsOf(id)) {
                if (!known.contains(auth) && chain.add(auth)) {
                    todo.push(auth);
                }
            }
        }
        while (!todo.isEmpty()) {
            for (String auth : authEventsOf(todo.pop())) {
                if (!known.contains(auth) && chain.add(auth)) {
                    todo.push(auth);
                }
            }
        }
        return chain;
    }

    /** The {@code auth_events} of one event. */
    public List<String> authEventsOf(String eventId) {
        List<String> ids = authEvents.get(eventId);
        if (ids == null) {
            Pdu pdu = events.apply(eventId).orElseThrow(() -> new MissingEventException(eventId));
            ids = pdu.authEventIds();
            authEvents.put(eventId, ids);
        }
        return ids;
    }
}
