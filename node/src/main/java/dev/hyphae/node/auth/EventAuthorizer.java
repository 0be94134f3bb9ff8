package dev.hyphae.node.auth;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import java.util.Map;
import java.util.Set;

/**
 * The authorization rules of the event's room version (taken from {@link Pdu#roomVersion()}).
 * Pure: no database; state resolution and the event pipeline both call it.
 */
public interface EventAuthorizer {

    /**
     * Checks {@code event} against the rules, given the room state to check it against (the state
     * before the event, or the event's auth events keyed by their (type, state key)). The map must
     * hold the room's {@code m.room.create} event: in room version 12 it is not among the auth
     * events, so the caller adds it (found from the room ID).
     */
    AuthDecision authorize(Pdu event, Map<StateKey, Pdu> authState);

    /**
     * The (type, state key) pairs whose current state events are the auth events of {@code event}
     * ("auth events selection" in the server-server API).
     */
    Set<StateKey> authStateKeys(Pdu event);
}
