package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.directory.AliasDirectory;
import dev.hyphae.node.directory.PublicRoomList;
import dev.hyphae.node.directory.PublicRoomsQuery;
import dev.hyphae.node.directory.ResolvedAlias;
import dev.hyphae.node.directory.RoomTypeFilter;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.util.Objects;
import java.util.Optional;

/**
 * The room directory (client-server API, "Room aliases" and "Published room directory"): aliases
 * of this server, the rooms' local aliases, the rooms' visibility in the directory and
 * {@code /publicRooms}, of this server or, with {@code server}, of another.
 */
public final class DirectoryEndpoints implements EndpointGroup {
    private final AliasDirectory aliases;
    private final PublicRoomList publicRooms;

    public DirectoryEndpoints(AliasDirectory aliases, PublicRoomList publicRooms) {
        this.aliases = Objects.requireNonNull(aliases, "aliases");
        this.publicRooms = Objects.requireNonNull(publicRooms, "publicRooms");
    }

    @Override
    public void register(RouteTable routes) {
        String alias = "/_matrix/client/v3/directory/room/{roomAlias}";
        String list = "/_matrix/client/v3/directory/list/room/{roomId}";
        routes.add(Method.PUT, alias, Authentication.REQUIRED, this::createAlias)
                .add(Method.GET, alias, Authentication.OPTIONAL, this::resolveAlias)
                .add(Method.DELETE, alias, Authentication.REQUIRED, this::deleteAlias)
                .add(Method.GET, "/_matrix/client/v3/rooms/{roomId}/aliases", Authentication.REQUIRED, this::localAliases)
                .add(Method.GET, list, Authentication.OPTIONAL, this::visibility)
                .add(Method.PUT, list, Authentication.REQUIRED, this::setVisibility)
                .add(Method.GET, "/_matrix/client/v3/publicRooms", Authentication.OPTIONAL, this::publicRooms)
                .add(Method.POST, "/_matrix/client/v3/publicRooms", Authentication.REQUIRED, this::queryPublicRooms);
    }

    /** PUT /_matrix/client/v3/directory/room/{roomAlias} */
    MatrixResponse createAlias(MatrixRequest request) {
        String roomId = request.jsonObject().string("room_id");
        ServiceErrors.call(() -> {
            aliases.create(request.pathParameter("roomAlias"), roomId, request.requester().userId().toString());
            return null;
        });
        return empty();
    }

    /** GET /_matrix/client/v3/directory/room/{roomAlias} */
    MatrixResponse resolveAlias(MatrixRequest request) {
        ResolvedAlias resolved = ServiceErrors.call(() -> aliases.resolve(request.pathParameter("roomAlias")));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("room_id", resolved.roomId());
        ArrayNode servers = response.putArray("servers");
        resolved.servers().forEach(servers::add);
        return MatrixResponse.ok(response);
    }

    /** DELETE /_matrix/client/v3/directory/room/{roomAlias} */
    MatrixResponse deleteAlias(MatrixRequest request) {
        ServiceErrors.call(() -> {
            aliases.delete(request.pathParameter("roomAlias"), request.requester().userId().toString());
            return null;
        });
        return empty();
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/aliases */
    MatrixResponse localAliases(MatrixRequest request) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode list = response.putArray("aliases");
        ServiceErrors.call(() -> aliases.localAliases(request.pathParameter("roomId"),
                request.requester().userId().toString())).forEach(list::add);
        return MatrixResponse.ok(response);
    }

    /** GET /_matrix/client/v3/directory/list/room/{roomId} */
    MatrixResponse visibility(MatrixRequest request) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("visibility", ServiceErrors.call(() -> publicRooms.visibility(request.pathParameter("roomId"))));
        return MatrixResponse.ok(response);
    }

    /** PUT /_matrix/client/v3/directory/list/room/{roomId} */
    MatrixResponse setVisibility(MatrixRequest request) {
        String visibility = request.jsonObjectOrEmpty().optionalString("visibility").orElse("public");
        ServiceErrors.call(() -> {
            publicRooms.setVisibility(request.pathParameter("roomId"), request.requester().userId().toString(),
                    visibility);
            return null;
        });
        return empty();
    }

    /** GET /_matrix/client/v3/publicRooms?limit=&since=&server= */
    MatrixResponse publicRooms(MatrixRequest request) {
        Optional<Integer> limit = request.queryParameter("limit").map(DirectoryEndpoints::limit);
        Optional<String> since = request.queryParameter("since");
        Optional<String> server = remoteServer(request);
        if (server.isPresent()) {
            ObjectNode options = JsonNodeFactory.instance.objectNode();
            limit.ifPresent(value -> options.put("limit", value));
            since.ifPresent(value -> options.put("since", value));
            return MatrixResponse.ok(ServiceErrors.call(() -> publicRooms.remotePublicRooms(server.get(), options)));
        }
        return MatrixResponse.ok(ServiceErrors.call(() -> publicRooms.publicRooms(
                new PublicRoomsQuery(limit.orElse(0), since, Optional.empty(), RoomTypeFilter.ANY))));
    }

    /** POST /_matrix/client/v3/publicRooms?server= */
    MatrixResponse queryPublicRooms(MatrixRequest request) {
        JsonBody body = request.jsonObjectOrEmpty();
        Optional<String> server = remoteServer(request);
        if (server.isPresent()) {
            return MatrixResponse.ok(ServiceErrors.call(() -> publicRooms.remotePublicRooms(server.get(),
                    body.raw().deepCopy())));
        }
        PublicRoomsQuery query = ServiceErrors.call(() -> PublicRoomsQuery.fromJson(body.raw()));
        return MatrixResponse.ok(ServiceErrors.call(() -> publicRooms.publicRooms(query)));
    }

    /** The {@code server} parameter when it names another server than this one. */
    private Optional<String> remoteServer(MatrixRequest request) {
        return request.queryParameter("server").filter(server -> !server.equals(aliases.serverName()));
    }

    private static int limit(String text) {
        if (!text.matches("[0-9]{1,9}")) {
            throw MatrixException.invalidParam("limit must be a non-negative integer");
        }
        return Integer.parseInt(text);
    }

    private static MatrixResponse empty() {
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
