package dev.hyphae.node.presence;

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
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import java.util.Objects;
import java.util.Optional;

/** {@code GET} and {@code PUT /presence/{userId}/status} (client-server API, "Presence"). */
public final class PresenceEndpoints implements EndpointGroup {
    private final PresenceService presence;
    private final RoomServers rooms;

    public PresenceEndpoints(PresenceService presence, RoomServers rooms) {
        this.presence = Objects.requireNonNull(presence, "presence");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/presence/{userId}/status", Authentication.REQUIRED,
                this::getStatus);
        routes.add(Method.PUT, "/_matrix/client/v3/presence/{userId}/status", Authentication.REQUIRED,
                this::putStatus);
    }

    /** GET /_matrix/client/v3/presence/{userId}/status: users who share a room may see each other. */
    MatrixResponse getStatus(MatrixRequest request) {
        String requester = request.requester().userId().toString();
        String target = userId(request.pathParameter("userId"));
        if (!rooms.shareARoom(requester, target)) {
            throw MatrixException.forbidden("You do not share a room with " + target);
        }
        return MatrixResponse.ok(presence.get(target).content(presence.now()));
    }

    /** PUT /_matrix/client/v3/presence/{userId}/status */
    MatrixResponse putStatus(MatrixRequest request) {
        String requester = request.requester().userId().toString();
        if (!request.pathParameter("userId").equals(requester)) {
            throw MatrixException.forbidden("You may only set your own presence");
        }
        JsonBody body = request.jsonObject();
        String state = body.string("presence");
        if (!PresenceState.STATES.contains(state)) {
            throw MatrixException.invalidParam("presence must be online, unavailable or offline");
        }
        JsonNode message = body.raw().get("status_msg");
        Optional<String> statusMsg;
        if (message == null || message.isNull()) {
            statusMsg = Optional.empty();
        } else if (!message.isTextual()) {
            throw MatrixException.badJson("Field 'status_msg' must be a string");
        } else if (message.textValue().length() > PresenceService.MAX_STATUS_MSG_CHARS) {
            throw MatrixException.invalidParam("status_msg is longer than " + PresenceService.MAX_STATUS_MSG_CHARS
                    + " characters");
        } else {
            statusMsg = Optional.of(message.textValue());
        }
        presence.setPresence(requester, state, statusMsg);
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private static String userId(String value) {
        try {
            return UserId.parse(value).toString();
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("Not a user ID: " + value);
        }
    }
}
