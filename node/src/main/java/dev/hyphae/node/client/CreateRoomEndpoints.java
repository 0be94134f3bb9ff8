package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.directory.AliasDirectory;
import dev.hyphae.node.directory.DirectoryException;
import dev.hyphae.node.directory.PublicRoomList;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room creation (client-server API, "Creation"). With the room directory, {@code room_alias_name}
 * also maps the new alias to the room (refused with M_ROOM_IN_USE before anything is made when the
 * alias exists) and {@code visibility: public} lists the room in the published room directory.
 */
public final class CreateRoomEndpoints implements EndpointGroup {
    private static final Logger LOG = LoggerFactory.getLogger(CreateRoomEndpoints.class);

    private final RoomCreator creator;
    private final Optional<AliasDirectory> aliases;
    private final Optional<PublicRoomList> publicRooms;

    /** Creation without a room directory: aliases only appear in the canonical alias event. */
    public CreateRoomEndpoints(RoomCreator creator) {
        this.creator = Objects.requireNonNull(creator, "creator");
        this.aliases = Optional.empty();
        this.publicRooms = Optional.empty();
    }

    public CreateRoomEndpoints(RoomCreator creator, AliasDirectory aliases, PublicRoomList publicRooms) {
        this.creator = Objects.requireNonNull(creator, "creator");
        this.aliases = Optional.of(aliases);
        this.publicRooms = Optional.of(publicRooms);
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
                CreateRoomRequest parsed = CreateRoomRequest.fromJson(creatorId, body);
                String alias = parsed.roomAliasName() == null || aliases.isEmpty() ? null
                        : "#" + parsed.roomAliasName() + ":" + aliases.get().serverName();
                if (alias != null) {
                    aliases.get().requireFree(alias);
                }
                String created = creator.createRoom(parsed);
                if (alias != null) {
                    register(alias, created, creatorId);
                }
                if ("public".equals(parsed.visibility())) {
                    publicRooms.ifPresent(list -> list.setPublished(created, true));
                }
                return created;
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

    /** Maps the alias to the new room; another request may have taken it since the check. */
    private void register(String alias, String roomId, String creatorId) {
        try {
            aliases.orElseThrow().create(alias, roomId, creatorId);
        } catch (DirectoryException e) {
            LOG.info("alias {} of new room {} was not stored: {}", alias, roomId, e.getMessage());
        }
    }
}
