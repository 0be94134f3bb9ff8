package dev.hyphae.node.client;

import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.Objects;

/**
 * Who may read a room through the client API: its current members. A user who left (or was
 * banned) no longer reads it here; the spec's reading "up to the point they left" is not offered.
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
        if (!queries.roomExists(roomId)) {
            throw MatrixException.notFound("Unknown room " + roomId);
        }
        String membership = queries.membership(roomId, userId).orElse("leave");
        if (!membership.equals("join")) {
            throw MatrixException.forbidden("You are not joined to " + roomId + " (membership " + membership + ")");
        }
    }
}
