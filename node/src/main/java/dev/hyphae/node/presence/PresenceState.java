package dev.hyphae.node.presence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A user's presence as this node knows it.
 *
 * @param presence        {@code online}, {@code unavailable} or {@code offline}
 * @param statusMsg       the user's status message, if any
 * @param lastActiveTs    when the user was last active, epoch milliseconds; 0 when never seen
 * @param currentlyActive whether the user is active right now
 * @param streamPosition  the presence stream position of the last change worth telling
 */
public record PresenceState(String userId, String presence, Optional<String> statusMsg, long lastActiveTs,
        boolean currentlyActive, long streamPosition) {
    public static final String ONLINE = "online";
    public static final String UNAVAILABLE = "unavailable";
    public static final String OFFLINE = "offline";
    public static final Set<String> STATES = Set.of(ONLINE, UNAVAILABLE, OFFLINE);

    public PresenceState {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(statusMsg, "statusMsg");
        if (!STATES.contains(presence)) {
            throw new IllegalArgumentException("presence must be online, unavailable or offline: " + presence);
        }
    }

    /** The state of a user never seen: offline. */
    static PresenceState unknown(String userId) {
        return new PresenceState(userId, OFFLINE, Optional.empty(), 0, false, 0);
    }

    /** Whether another user would see a difference (last activity alone is not news). */
    boolean differsFrom(PresenceState other) {
        return !presence.equals(other.presence) || !statusMsg.equals(other.statusMsg)
                || currentlyActive != other.currentlyActive;
    }

    /** The body of {@code GET /presence/{userId}/status} and the content of {@code m.presence}. */
    public ObjectNode content(long nowMs) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("presence", presence);
        if (lastActiveTs > 0) {
            content.put("last_active_ago", Math.max(0, nowMs - lastActiveTs));
        }
        statusMsg.ifPresent(message -> content.put("status_msg", message));
        content.put("currently_active", currentlyActive);
        return content;
    }

    /** The {@code m.presence} event of /sync's {@code presence} section. */
    public ObjectNode event(long nowMs) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", "m.presence");
        event.put("sender", userId);
        event.set("content", content(nowMs));
        return event;
    }
}
