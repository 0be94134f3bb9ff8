package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import java.util.Objects;
import java.util.Set;

/**
 * {@code POST /rooms/{roomId}/forget} (client-server API, "Leaving rooms"): a user who has left
 * or was banned stops seeing the room in /sync. The room stays forgotten until the user's
 * membership changes again (an invite or a join brings it back).
 */
public final class ForgetEndpoints implements EndpointGroup {
    /** Memberships that still hold the user in the room: they must leave first. */
    private static final Set<String> NOT_LEFT = Set.of("join", "invite", "knock");

    private final Store store;

    public ForgetEndpoints(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/rooms/{roomId}/forget", Authentication.REQUIRED, this::forget);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/forget */
    MatrixResponse forget(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String userId = request.requester().userId().toString();
        ServiceErrors.await(store.write(tx -> {
            Membership membership = tx.memberships().get(roomId, userId)
                    .orElseThrow(() -> MatrixException.notFound("You have never been in " + roomId));
            if (NOT_LEFT.contains(membership.membership())) {
                throw new MatrixException(400, MatrixException.M_UNKNOWN, "User " + userId + " is in room " + roomId
                        + " (membership " + membership.membership() + "); leave it before forgetting it");
            }
            tx.forgottenRooms().forget(userId, roomId, membership.eventId());
            return null;
        }));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
