package dev.hyphae.node.federation.rooms;

import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Steps 4 to 6 of "Checks performed on receipt of a PDU" as pure checks: the authorization rules
 * against the event's own auth events, and against a given room state (the state before the event,
 * or the current state for soft failure).
 */
final class AuthChecks {
    private static final StateKey CREATE = StateKey.of("m.room.create", "");

    private final AuthorizationRules rules;

    AuthChecks(AuthorizationRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * Step 4: the rules about the {@code auth_events} list, then the rules against those events.
     * {@code events} finds an auth event (checked before, stored or in the same batch);
     * {@code rejected} says whether it was rejected.
     */
    AuthDecision againstAuthEvents(Pdu pdu, Function<String, Optional<Pdu>> events, Predicate<String> rejected) {
        if (pdu.isCreate()) {
            return rules.authorize(pdu, Map.of());
        }
        List<Pdu> authEvents = new ArrayList<>();
        for (String id : pdu.authEventIds()) {
            Optional<Pdu> authEvent = events.apply(id);
            if (authEvent.isEmpty()) {
                return AuthDecision.reject("auth event " + id + " is not known");
            }
            if (rejected.test(id)) {
                return AuthDecision.reject("auth event " + id + " was rejected");
            }
            authEvents.add(authEvent.get());
        }
        AuthDecision list = rules.checkAuthEvents(pdu, authEvents);
        if (!list.allowed()) {
            return list;
        }
        Map<StateKey, Pdu> state = new HashMap<>();
        for (Pdu authEvent : authEvents) {
            authEvent.stateTuple().ifPresent(key -> state.put(key, authEvent));
        }
        if (!state.containsKey(CREATE)) {
            // Room version 12 does not list the create event; its ID is the room ID's.
            Optional<String> createId = createEventId(pdu);
            if (createId.isEmpty()) {
                return AuthDecision.reject("no m.room.create event for the room");
            }
            Optional<Pdu> create = events.apply(createId.get());
            if (create.isEmpty() || rejected.test(createId.get())) {
                return AuthDecision.reject("the room's create event " + createId.get() + " is not known or rejected");
            }
            state.put(CREATE, create.get());
        }
        return rules.authorize(pdu, state);
    }

    /** Steps 5 and 6: the rules against {@code state}, a room state that holds the create event. */
    AuthDecision againstState(Pdu pdu, Map<StateKey, Pdu> state) {
        return rules.authorize(pdu, state);
    }

    /** The create event's ID in rooms whose ID is made from it (version 12); empty otherwise. */
    static Optional<String> createEventId(Pdu pdu) {
        if (!pdu.roomVersion().roomIdFromCreateEvent()) {
            return Optional.empty();
        }
        String roomId = pdu.roomId();
        return roomId.startsWith("!") ? Optional.of("$" + roomId.substring(1)) : Optional.empty();
    }

    /** The state events the rules read for {@code pdu}: the selected ones and the create event. */
    static List<StateKey> wantedKeys(AuthorizationRules rules, Pdu pdu) {
        List<StateKey> keys = new ArrayList<>(rules.authStateKeys(pdu));
        keys.add(CREATE);
        return keys;
    }

    AuthorizationRules rules() {
        return rules;
    }
}
