package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.AuthRules;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The "Authorisation rules" of rooms v1 to v12, in the spec's order, and the "Auth events
 * selection" of the server-server API. Pure: the result depends only on the arguments (and the
 * injected signature check); safe to call from many threads.
 *
 * <p>The rules about the {@code auth_events} list itself (no duplicates, only selected entries, none
 * rejected, same room) need the list, which a state map cannot show; {@link #checkAuthEvents} checks
 * them, except "entries which were themselves rejected", which only the caller knows.
 * {@link #authorize} checks what it can see in the map: that there is a create event and that it is
 * this room's.
 *
 * <p>Room version 12 never selects the create event for {@code auth_events}; the caller puts the
 * room's create event (found from the room ID) into {@code authState} anyway, since the rules read it.
 */
public final class AuthorizationRules implements EventAuthorizer {
    private final MembershipRules membershipRules;
    private final ParsedEvents parsed = new ParsedEvents();

    public AuthorizationRules(HomeserverSignatures signatures) {
        this.membershipRules = new MembershipRules(Objects.requireNonNull(signatures, "signatures"));
    }

    @Override
    public AuthDecision authorize(Pdu event, Map<StateKey, Pdu> authState) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(authState, "authState");
        AuthRules rules = event.roomVersion().authRules();
        ObjectNode content = parsed.content(event);
        String type = event.type();

        // "If type is m.room.create:" ... (whatever its state key: the rule names only the type)
        if ("m.room.create".equals(type)) {
            return CreateRules.check(event, content);
        }
        RoomAuthState room = new RoomAuthState(authState, rules, parsed);
        Pdu create = room.create().orElse(null);
        String roomId = roomIdOf(event);
        if (rules.roomCreators()) {
            // v12: "If the event's room_id is not an event ID for an accepted (not rejected)
            // m.room.create event, with the sigil ! instead of $, reject."
            if (create == null || !roomId.equals("!" + create.eventId().substring(1))) {
                return AuthDecision.reject("room_id is not the ID of the room's create event");
            }
        } else {
            // "If there is no m.room.create event among the entries, reject."
            if (create == null) {
                return AuthDecision.reject("no m.room.create event in the auth state");
            }
            // "If any event in auth_events has a room_id which does not match that of the event being
            // authorised, reject." (here: the create event; checkAuthEvents checks every entry)
            if (!roomId.equals(roomIdOf(create))) {
                return AuthDecision.reject("m.room.create event is from another room");
            }
        }

        // "If the content of the m.room.create event in the room state has the property m.federate set
        // to false, and the sender domain of the event does not match the sender domain of the create
        // event, reject."
        JsonNode federate = room.createContent().get("m.federate");
        if (federate != null && federate.isBoolean() && !federate.booleanValue()
                && !MatrixIds.domain(event.sender()).equals(MatrixIds.domain(create.sender()))) {
            return AuthDecision.reject("room is not federated and sender is from another server");
        }

        // v1–v5: "If type is m.room.aliases: If event has no state_key, reject. If sender's domain doesn't
        // match state_key, reject. Otherwise, allow."
        if (rules.specialCaseAliases() && "m.room.aliases".equals(type)) {
            if (event.stateKey().isEmpty()) {
                return AuthDecision.reject("m.room.aliases without state_key");
            }
            return MatrixIds.domain(event.sender()).equals(event.stateKey().get())
                    ? AuthDecision.allow()
                    : AuthDecision.reject("m.room.aliases state_key is not the sender's domain");
        }

        // "If type is m.room.member:" ...
        if ("m.room.member".equals(type)) {
            return membershipRules.check(event, content, room);
        }

        // "If the sender's current membership state is not join, reject."
        String sender = event.sender();
        if (!RoomAuthState.JOIN.equals(room.membership(sender))) {
            return AuthDecision.reject("sender is not joined to the room");
        }

        // "If type is m.room.third_party_invite: Allow if and only if sender's current power level is
        // greater than or equal to the invite level."
        long senderLevel = room.userLevel(sender);
        if ("m.room.third_party_invite".equals(type)) {
            return senderLevel >= room.powerLevels().invite()
                    ? AuthDecision.allow()
                    : AuthDecision.reject("sender's power level is below the invite level");
        }

        // "If the event type's required power level is greater than the sender's power level, reject."
        if (room.powerLevels().requiredLevel(type, event.isState()) > senderLevel) {
            return AuthDecision.reject("sender's power level is below the level required for " + type);
        }

        // "If the event has a state_key that starts with an @ and does not match the sender, reject."
        if (event.stateKey().map(key -> key.startsWith("@") && !key.equals(sender)).orElse(false)) {
            return AuthDecision.reject("state_key starting with @ does not match the sender");
        }

        // "If type is m.room.power_levels:" ...
        if ("m.room.power_levels".equals(type)) {
            return PowerLevelsRules.check(event, room);
        }

        // v1–v2: "If type is m.room.redaction: If the sender's power level is greater than or equal to the
        // redact level, allow. If the domain of the event_id of the event being redacted is the same as
        // the domain of the event_id of the m.room.redaction, allow. Otherwise, reject."
        if (!rules.redactionDomainRule() && "m.room.redaction".equals(type)) {
            if (senderLevel >= room.powerLevels().redact()) {
                return AuthDecision.allow();
            }
            // A redaction without a redacts key has no event to compare domains with: rejected.
            String redacts = event.redacts().orElse("");
            return !redacts.isEmpty() && MatrixIds.domain(redacts).equals(MatrixIds.domain(event.eventId()))
                    ? AuthDecision.allow()
                    : AuthDecision.reject("sender may not redact events from another server");
        }

        // "Otherwise, allow."
        return AuthDecision.allow();
    }

    @Override
    public Set<StateKey> authStateKeys(Pdu event) {
        Objects.requireNonNull(event, "event");
        return AuthEventsSelection.select(event, parsed.content(event));
    }

    /**
     * The rules "Considering the event's auth_events": reject when there are duplicate entries for a
     * (type, state_key) pair, entries that the auth events selection would not choose (v12: this
     * includes the create event), no create event (v1–v11), or entries from another room. Whether an
     * entry was itself rejected is for the caller to check.
     */
    public AuthDecision checkAuthEvents(Pdu event, Collection<Pdu> authEvents) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(authEvents, "authEvents");
        // The create rule ends in allow or reject before the rules about auth_events are reached.
        if ("m.room.create".equals(event.type())) {
            return AuthDecision.allow();
        }
        Set<StateKey> selected = authStateKeys(event);
        Set<StateKey> seen = new HashSet<>();
        boolean hasCreate = false;
        String roomId = roomIdOf(event);
        for (Pdu authEvent : authEvents) {
            StateKey key = authEvent.stateTuple().orElse(null);
            // "If there are duplicate entries for a given type and state_key pair, reject."
            if (key != null && !seen.add(key)) {
                return AuthDecision.reject("duplicate auth event for " + key);
            }
            // "If there are entries whose type and state_key don't match those specified by the auth
            // events selection algorithm described in the server specification, reject."
            if (key == null || !selected.contains(key)) {
                return AuthDecision.reject("auth event " + authEvent.eventId() + " is not selected for this event");
            }
            hasCreate |= authEvent.isCreate();
            // "If any event in auth_events has a room_id which does not match that of the event being
            // authorised, reject."
            if (!roomIdOf(authEvent).equals(roomId)) {
                return AuthDecision.reject("auth event " + authEvent.eventId() + " is from another room");
            }
        }
        // v1–v11: "If there is no m.room.create event among the entries, reject."
        if (!event.roomVersion().authRules().roomCreators() && !hasCreate) {
            return AuthDecision.reject("no m.room.create event among the auth events");
        }
        return AuthDecision.allow();
    }

    /** The event's room ID, or "" when it has none (such an event matches no room). */
    static String roomIdOf(Pdu event) {
        try {
            return event.roomId();
        } catch (IllegalStateException noRoomId) {
            return "";
        }
    }
}
