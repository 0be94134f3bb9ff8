package dev.hyphae.store;

import java.util.Objects;
import java.util.Set;

/**
 * A user's current membership of a room, from the {@code m.room.member} event in the room's
 * current state.
 *
 * @param membership one of {@code invite}, {@code join}, {@code knock}, {@code leave}, {@code ban}
 * @param eventId    the membership event
 */
public record Membership(String roomId, String userId, String membership, String eventId) {
    /** The membership states of the spec's {@code m.room.member} event. */
    public static final Set<String> STATES = Set.of("invite", "join", "knock", "leave", "ban");

    public Membership {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(eventId, "eventId");
        if (!STATES.contains(membership)) {
            throw new IllegalArgumentException("unknown membership state: " + membership);
        }
    }
}
