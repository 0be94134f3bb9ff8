package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.RoomAlias;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.profile.ProfileException;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredRoomAlias;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The queries of the server-server API ("Query Types"): {@code GET /_matrix/federation/v1/query/profile}
 * for a local user's profile and {@code GET /_matrix/federation/v1/query/directory} for what a
 * local room alias points to.
 */
public final class QueryEndpoints implements FederationEndpointGroup {
    private final ProfileService profiles;
    private final String serverName;
    private final Store store;

    public QueryEndpoints(ProfileService profiles, String serverName, Store store) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.add(Method.GET, FederationPaths.V1 + "/query/profile", this::profile)
                .add(Method.GET, FederationPaths.V1 + "/query/directory", this::directory);
    }

    /**
     * GET /_matrix/federation/v1/query/directory?room_alias=: the room of one of this server's
     * aliases, with the servers of its joined members (this one first) to join through.
     */
    MatrixResponse directory(String origin, MatrixRequest request) {
        String aliasText = request.queryParameter("room_alias")
                .orElseThrow(() -> MatrixException.missingParam("room_alias is required"));
        RoomAlias alias;
        try {
            alias = RoomAlias.parse(aliasText);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("not a room alias: " + aliasText);
        }
        if (!alias.serverName().toString().equals(serverName)) {
            throw MatrixException.notFound("Room alias " + aliasText + " is not of this server");
        }
        ObjectNode response = store.read(tx -> {
            StoredRoomAlias stored = tx.roomAliases().get(alias.toString())
                    .orElseThrow(() -> MatrixException.notFound("Room alias " + aliasText + " not found"));
            Set<String> servers = new LinkedHashSet<>();
            servers.add(serverName);
            Set<String> others = new TreeSet<>();
            for (Membership member : tx.memberships().inRoom(stored.roomId())) {
                int colon = member.userId().indexOf(':');
                if (member.membership().equals("join") && colon > 0) {
                    others.add(member.userId().substring(colon + 1));
                }
            }
            servers.addAll(others);
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            answer.put("room_id", stored.roomId());
            ArrayNode list = answer.putArray("servers");
            servers.forEach(list::add);
            return answer;
        });
        return MatrixResponse.ok(response);
    }

    /** GET /_matrix/federation/v1/query/profile?user_id=&field= */
    MatrixResponse profile(String origin, MatrixRequest request) {
        String userIdText = request.queryParameter("user_id")
                .orElseThrow(() -> MatrixException.missingParam("user_id is required"));
        UserId userId;
        try {
            userId = UserId.parse(userIdText);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("not a user ID: " + userIdText);
        }
        if (!userId.serverName().toString().equals(serverName)) {
            throw MatrixException.invalidParam(userIdText + " is not a user of this server");
        }
        ObjectNode profile;
        try {
            profile = profiles.profile(userId);
        } catch (ProfileException e) {
            throw MatrixException.notFound("no such user " + userIdText);
        }
        String field = request.queryParameter("field").orElse(null);
        if (field == null) {
            return MatrixResponse.ok(profile);
        }
        ObjectNode one = JsonNodeFactory.instance.objectNode();
        if (profile.has(field)) {
            one.set(field, profile.get(field));
        }
        return MatrixResponse.ok(one);
    }
}
