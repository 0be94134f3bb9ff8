package dev.hyphae.node.auth;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import java.util.Map;
import java.util.Objects;

/**
 * The power check the server makes before applying a redaction ("Handling redactions" of the room
 * versions): whether a user's power level reaches the room's <em>redact level</em>, which the auth
 * rules themselves do not consider.
 */
public final class RedactLevel {
    private RedactLevel() {
    }

    /**
     * Whether {@code userId}'s power level in {@code state} (which must hold the create event and,
     * when the room has one, the power levels event) is at least the redact level (default 50).
     */
    public static boolean reachedBy(String userId, Map<StateKey, Pdu> state, RoomVersion version) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(state, "state");
        RoomAuthState room = new RoomAuthState(state, version.authRules(), new ParsedEvents());
        return room.userLevel(userId) >= room.powerLevels().redact();
    }
}
