package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomServerException;
import java.util.Objects;

/** Room creation (client-server API, "Creation"). */
public final class CreateRoomEndpoints implements EndpointGroup {
    private final RoomCreator creator;

    public CreateRoomEndpoints(RoomCreator creator) {
        this.creator = Objects.requireNonNull(creator, "creator");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/createRoom", Authentication.REQUIRED, this::createRoom);
    }

    /** POST /_matrix/client/v3/createRoom */
    MatrixResponse createRoom(MatrixRequest request) {
        String creatorId = request.requester().userId().toString();
        ObjectNode body = request.jsonObjectOrEmpty().raw();
        String roomId = ServiceErrors.call(() -> {
            try {
                return creator.createRoom(CreateRoomRequest.fromJson(creatorId, body));
            } catch (RoomServerException e) {
                if (e.kind() == RoomServerException.Kind.BAD_REQUEST) {
                    // A body of the wrong shape is M_BAD_JSON here, not an invalid parameter.
                    throw MatrixException.badJson(e.getMessage());
                }
                throw e;
            }
        });
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("room_id", roomId);
        return MatrixResponse.ok(response);
    }
}
