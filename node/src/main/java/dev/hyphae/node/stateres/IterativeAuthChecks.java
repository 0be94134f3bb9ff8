package dev.hyphae.node.stateres;

import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The iterative auth checks algorithm: from an initial state, apply each state event of a sorted
 * list in turn if the authorization rules allow it, ignoring it otherwise.
 *
 * <p>Each event is checked against the current state for every (type, state key) the rules need
 * for it; a needed key missing from the state is taken from the event's auth events, unless that
 * auth event was rejected. Rejected events in the list themselves are re-checked as usual.
 */
final class IterativeAuthChecks {
    private static final StateKey CREATE = StateKey.of(ResolutionEvents.CREATE, "");

    private final EventAuthorizer authorizer;
    private final ResolutionEvents events;

    IterativeAuthChecks(EventAuthorizer authorizer, ResolutionEvents events) {
        this.authorizer = authorizer;
        this.events = events;
    }

    Map<StateKey, String> apply(Map<StateKey, String> initial, List<String> sorted) {
        Map<StateKey, String> state = new HashMap<>(initial);
        for (String eventId : sorted) {
            Pdu event = events.event(eventId);
            Optional<StateKey> key = event.stateTuple();
            if (key.isEmpty()) {
                continue;
            }
            if (authorizer.authorize(event, authState(event, state)).allowed()) {
                state.put(key.get(), eventId);
            }
        }
        return state;
    }

    private Map<StateKey, Pdu> authState(Pdu event, Map<StateKey, String> state) {
        Set<StateKey> needed = authorizer.authStateKeys(event);
        // Sized for the needed keys and the implied create event, so it never rehashes.
        Map<StateKey, Pdu> authState = new HashMap<>((needed.size() + 1) * 4 / 3 + 1);
        for (String authId : events.authEvents(event.eventId())) {
            if (events.isRejected(authId)) {
                continue;
            }
            Pdu auth = events.event(authId);
            Optional<StateKey> key = auth.stateTuple();
            if (key.isPresent() && needed.contains(key.get())) {
                authState.put(key.get(), auth);
            }
        }
        for (StateKey key : needed) {
            String current = state.get(key);
            if (current != null) {
                authState.put(key, events.event(current));
            }
        }
        addImpliedCreateEvent(event, authState);
        return authState;
    }

    /**
     * From room version 12 the create event is not an auth event (the room ID names it), so when
     * the state does not hold it yet, it is found through the room ID.
     */
    private void addImpliedCreateEvent(Pdu event, Map<StateKey, Pdu> authState) {
        if (events.version().roomIdFromCreateEvent() && !authState.containsKey(CREATE) && !event.isCreate()) {
            events.createEventFor(event.eventId()).ifPresent(c -> authState.put(CREATE, c));
        }
    }
}
