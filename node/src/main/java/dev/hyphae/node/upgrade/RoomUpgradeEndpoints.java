package dev.hyphae.node.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.client.ServiceErrors;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@code POST /_matrix/client/v3/rooms/{roomId}/upgrade} ("Room Upgrades"). */
public final class RoomUpgradeEndpoints implements EndpointGroup {
    private final RoomUpgrader upgrader;

    public RoomUpgradeEndpoints(RoomUpgrader upgrader) {
        this.upgrader = Objects.requireNonNull(upgrader, "upgrader");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/rooms/{roomId}/upgrade", Authentication.REQUIRED, this::upgrade);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/upgrade: answers {@code replacement_room}. */
    MatrixResponse upgrade(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        ObjectNode body = request.jsonObject().raw();
        JsonNode newVersion = body.get("new_version");
        if (newVersion == null) {
            throw MatrixException.missingParam("new_version is required");
        }
        if (!newVersion.isTextual()) {
            throw MatrixException.badJson("new_version must be a string");
        }
        List<String> additionalCreators = new ArrayList<>();
        JsonNode creators = body.get("additional_creators");
        if (creators != null) {
            if (!creators.isArray()) {
                throw MatrixException.badJson("additional_creators must be an array of user IDs");
            }
            for (JsonNode creator : creators) {
                if (!creator.isTextual()) {
                    throw MatrixException.badJson("additional_creators must be an array of user IDs");
                }
                additionalCreators.add(creator.textValue());
            }
        }
        String userId = request.requester().userId().toString();
        String replacement = ServiceErrors.call(
                () -> upgrader.upgrade(roomId, userId, newVersion.textValue(), additionalCreators));
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("replacement_room", replacement);
        return MatrixResponse.ok(answer);
    }
}
