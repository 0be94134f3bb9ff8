package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.profile.ProfileException;
import dev.hyphae.node.profile.ProfileService;
import java.util.Objects;

/** {@code GET /_matrix/federation/v1/query/profile} ("Query Types"): a local user's profile. */
public final class QueryEndpoints implements FederationEndpointGroup {
    private final ProfileService profiles;
    private final String serverName;

    public QueryEndpoints(ProfileService profiles, String serverName) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.add(Method.GET, FederationPaths.V1 + "/query/profile", this::profile);
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
