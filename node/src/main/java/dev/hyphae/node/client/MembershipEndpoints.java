package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.directory.ResolvedAlias;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomMemberships;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Room membership (client-server API, "Room membership"): joining, knocking, inviting, leaving,
 * kicking, banning, and the member lists. Joining or knocking by alias resolves the alias first (through the
 * alias's server when it is another), and joins through the servers it names besides any {@code via}.
 */
public final class MembershipEndpoints implements EndpointGroup {
    private final RoomMemberships memberships;
    private final RoomQueries queries;
    private final RoomAccess access;
    private final Function<String, ResolvedAlias> aliases;

    /** Endpoints without a room directory: every alias is unknown. */
    public MembershipEndpoints(RoomMemberships memberships, RoomQueries queries) {
        this(memberships, queries, alias -> {
            throw MatrixException.notFound("Room alias " + alias + " is not known to this server");
        });
    }

    /** @param aliases resolves a room alias, refusing unknown ones with M_NOT_FOUND */
    public MembershipEndpoints(RoomMemberships memberships, RoomQueries queries,
            Function<String, ResolvedAlias> aliases) {
        this.memberships = Objects.requireNonNull(memberships, "memberships");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.access = new RoomAccess(queries);
        this.aliases = Objects.requireNonNull(aliases, "aliases");
    }

    @Override
    public void register(RouteTable routes) {
        String room = "/_matrix/client/v3/rooms/{roomId}";
        routes.add(Method.POST, "/_matrix/client/v3/join/{roomIdOrAlias}", Authentication.REQUIRED, this::joinByIdOrAlias)
                .add(Method.POST, room + "/join", Authentication.REQUIRED, this::join)
                .add(Method.POST, "/_matrix/client/v3/knock/{roomIdOrAlias}", Authentication.REQUIRED, this::knock)
                .add(Method.POST, room + "/invite", Authentication.REQUIRED, this::invite)
                .add(Method.POST, room + "/leave", Authentication.REQUIRED, this::leave)
                .add(Method.POST, room + "/kick", Authentication.REQUIRED, this::kick)
                .add(Method.POST, room + "/ban", Authentication.REQUIRED, this::ban)
                .add(Method.POST, room + "/unban", Authentication.REQUIRED, this::unban)
                .add(Method.GET, room + "/members", Authentication.REQUIRED, this::members)
                .add(Method.GET, room + "/joined_members", Authentication.REQUIRED, this::joinedMembers)
                .add(Method.GET, "/_matrix/client/v3/joined_rooms", Authentication.REQUIRED, this::joinedRooms);
    }

    /** POST /_matrix/client/v3/join/{roomIdOrAlias} */
    MatrixResponse joinByIdOrAlias(MatrixRequest request) {
        ResolvedAlias target = roomOf(request.pathParameter("roomIdOrAlias"));
        return join(request, target.roomId(), target.servers());
    }

    /** The room (and, for an alias, the servers that know it) of a {@code roomIdOrAlias}. */
    private ResolvedAlias roomOf(String target) {
        if (target.startsWith("#")) {
            return ServiceErrors.call(() -> aliases.apply(target));
        }
        if (!target.startsWith("!")) {
            throw MatrixException.invalidParam("Not a room ID or alias: " + target);
        }
        return new ResolvedAlias(target, List.of());
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/join */
    MatrixResponse join(MatrixRequest request) {
        return join(request, request.pathParameter("roomId"), List.of());
    }

    private MatrixResponse join(MatrixRequest request, String roomId, List<String> aliasServers) {
        JsonBody body = request.jsonObjectOrEmpty();
        String reason = body.optionalString("reason").orElse(null);
        // server_name is the older name of via; both name servers to join a remote room through,
        // then those the alias's server named.
        List<String> servers = new ArrayList<>(request.queryParameters("via"));
        servers.addAll(request.queryParameters("server_name"));
        aliasServers.stream().filter(server -> !servers.contains(server)).forEach(servers::add);
        ServiceErrors.call(() -> memberships.join(roomId, request.requester().userId().toString(), reason, servers));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("room_id", roomId);
        return MatrixResponse.ok(response);
    }

    /** POST /_matrix/client/v3/knock/{roomIdOrAlias} */
    MatrixResponse knock(MatrixRequest request) {
        String roomId = roomOf(request.pathParameter("roomIdOrAlias")).roomId();
        String reason = request.jsonObjectOrEmpty().optionalString("reason").orElse(null);
        List<String> servers = new ArrayList<>(request.queryParameters("via"));
        servers.addAll(request.queryParameters("server_name"));
        ServiceErrors.call(() -> memberships.knock(roomId, request.requester().userId().toString(), reason,
                servers));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("room_id", roomId);
        return MatrixResponse.ok(response);
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/invite */
    MatrixResponse invite(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        JsonBody body = request.jsonObject();
        String target = body.string("user_id");
        String reason = body.optionalString("reason").orElse(null);
        ServiceErrors.call(() -> memberships.invite(roomId, request.requester().userId().toString(), target, reason,
                false));
        return empty();
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/leave */
    MatrixResponse leave(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String reason = request.jsonObjectOrEmpty().optionalString("reason").orElse(null);
        ServiceErrors.call(() -> memberships.leave(roomId, request.requester().userId().toString(), reason));
        return empty();
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/kick */
    MatrixResponse kick(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        JsonBody body = request.jsonObject();
        String target = body.string("user_id");
        String reason = body.optionalString("reason").orElse(null);
        ServiceErrors.call(() -> memberships.kick(roomId, request.requester().userId().toString(), target, reason));
        return empty();
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/ban */
    MatrixResponse ban(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        JsonBody body = request.jsonObject();
        String target = body.string("user_id");
        String reason = body.optionalString("reason").orElse(null);
        ServiceErrors.call(() -> memberships.ban(roomId, request.requester().userId().toString(), target, reason));
        return empty();
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/unban */
    MatrixResponse unban(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        JsonBody body = request.jsonObject();
        String target = body.string("user_id");
        String reason = body.optionalString("reason").orElse(null);
        ServiceErrors.call(() -> memberships.unban(roomId, request.requester().userId().toString(), target, reason));
        return empty();
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/members */
    MatrixResponse members(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        access.requireJoined(roomId, request.requester().userId().toString());
        List<String> wanted = request.queryParameters("membership");
        List<String> unwanted = request.queryParameters("not_membership");
        ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
        for (RoomEvent member : ServiceErrors.call(() -> queries.memberEvents(roomId))) {
            String membership = member.pdu().contentField("membership").asText("");
            if ((wanted.isEmpty() || wanted.contains(membership)) && !unwanted.contains(membership)) {
                chunk.add(ClientEventFormat.clientEvent(member));
            }
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("chunk", chunk);
        return MatrixResponse.ok(response);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/joined_members */
    MatrixResponse joinedMembers(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        access.requireJoined(roomId, request.requester().userId().toString());
        ObjectNode joined = JsonNodeFactory.instance.objectNode();
        for (RoomEvent member : ServiceErrors.call(() -> queries.memberEvents(roomId))) {
            if (!member.pdu().contentField("membership").asText("").equals("join")) {
                continue;
            }
            String userId = member.pdu().stateKey().orElseThrow();
            ObjectNode profile = joined.putObject(userId);
            // display_name is always sent: matrix-nio refuses the whole answer without it (and so
            // cannot send to encrypted rooms). A member without one is named by its localpart, as
            // servers that give new accounts that display name do.
            profile.put("display_name", member.pdu().contentField("displayname").isTextual()
                    ? member.pdu().contentField("displayname").textValue() : localpart(userId));
            if (member.pdu().contentField("avatar_url").isTextual()) {
                profile.put("avatar_url", member.pdu().contentField("avatar_url").textValue());
            }
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("joined", joined);
        return MatrixResponse.ok(response);
    }

    /** GET /_matrix/client/v3/joined_rooms */
    MatrixResponse joinedRooms(MatrixRequest request) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode rooms = response.putArray("joined_rooms");
        queries.joinedRooms(request.requester().userId().toString()).forEach(rooms::add);
        return MatrixResponse.ok(response);
    }

    private static String localpart(String userId) {
        int colon = userId.indexOf(':');
        return userId.substring(userId.startsWith("@") ? 1 : 0, colon > 0 ? colon : userId.length());
    }

    private static MatrixResponse empty() {
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
