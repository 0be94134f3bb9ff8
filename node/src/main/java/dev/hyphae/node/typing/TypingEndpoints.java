package dev.hyphae.node.typing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.util.Objects;

/** {@code PUT /rooms/{roomId}/typing/{userId}} (client-server API, "Typing Notifications"). */
public final class TypingEndpoints implements EndpointGroup {
    private final TypingService typing;
    private final RoomServers rooms;

    public TypingEndpoints(TypingService typing, RoomServers rooms) {
        this.typing = Objects.requireNonNull(typing, "typing");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.PUT, "/_matrix/client/v3/rooms/{roomId}/typing/{userId}", Authentication.REQUIRED,
                this::putTyping);
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId} */
    MatrixResponse putTyping(MatrixRequest request) {
        String userId = request.requester().userId().toString();
        String roomId = request.pathParameter("roomId");
        if (!request.pathParameter("userId").equals(userId)) {
            throw MatrixException.forbidden("You may only set your own typing state");
        }
        JsonBody body = request.jsonObject();
        boolean isTyping = body.optionalBoolean("typing").orElseThrow(
                () -> MatrixException.missingParam("Missing field 'typing'"));
        long timeout = timeout(body.raw().get("timeout"));
        if (!rooms.isJoined(roomId, userId)) {
            throw MatrixException.forbidden("You are not joined to " + roomId);
        }
        typing.setLocal(roomId, userId, isTyping, timeout);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private static long timeout(JsonNode value) {
        if (value == null || value.isNull()) {
            return TypingService.DEFAULT_TIMEOUT_MS;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw MatrixException.badJson("Field 'timeout' must be an integer number of milliseconds");
        }
        if (value.asLong() < 0) {
            throw MatrixException.invalidParam("timeout must not be negative");
        }
        return value.asLong();
    }
}
