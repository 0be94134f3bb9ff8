package dev.hyphae.node.client;

import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may read a room through the client API: its current members, and users who left it (or were
 * kicked or banned) while joined, who read its history "up to the point they left" (the spec's
 * "History visibility"; {@code HistoryVisibility} hides what came after their leave). A user who
 * never joined, or whose leave ended an invite or a knock, may not.
 */
final class RoomAccess {
    private final RoomQueries queries;

    RoomAccess(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /**
     * @throws MatrixException M_NOT_FOUND for a room this node does not hold, M_FORBIDDEN when the
     *                         user is not joined to it
     */
    void requireJoined(String roomId, String userId) {
        requireRoom(roomId);
        String membership = queries.membership(roomId, userId).orElse("leave");
        if (!membership.equals("join")) {
            throw MatrixException.forbidden("You are not joined to " + roomId + " (membership " + membership + ")");
        }
    }

    /**
     * Checks that the user may read the room's events and tells up to where.
     *
     * @return the stream position of the last event the user may read: {@code Long.MAX_VALUE} for a
     *         joined user, their leave (or kick or ban) for one who left while joined
     * @throws MatrixException M_NOT_FOUND for a room this node does not hold, M_FORBIDDEN when the
     *                         user is not joined to it and did not leave it from a join
     */
    long requireReader(String roomId, String userId) {
        requireRoom(roomId);
        Optional<Membership> current = queries.memberships(userId).stream()
                .filter(m -> m.roomId().equals(roomId)).findFirst();
        String membership = current.map(Membership::membership).orElse("leave");
        if (membership.equals("join")) {
            return Long.MAX_VALUE;
        }
        if (current.isPresent() && (membership.equals("leave") || membership.equals("ban"))) {
            Optional<RoomEvent> leave = queries.event(current.get().eventId());
            boolean wasJoined = leave.flatMap(event -> queries.stateIdsBefore(event.eventId()))
                    .map(state -> state.get(StateKey.of("m.room.member", userId)))
                    .flatMap(queries::event)
                    .map(event -> event.pdu().contentField("membership").asText(""))
                    .map("join"::equals).orElse(false);
            if (wasJoined) {
                return leave.get().streamOrdering();
            }
        }
        throw MatrixException.forbidden("You are not joined to " + roomId + " (membership " + membership + ")");
    }

    private void requireRoom(String roomId) {
        if (!queries.roomExists(roomId)) {
            throw MatrixException.notFound("Unknown room " + roomId);
        }
    }
}
