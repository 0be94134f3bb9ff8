package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.profile.ProfileService;
import java.util.Objects;

/** User profiles (client-server API, "Profiles") of this node's users. */
public final class ProfileEndpoints implements EndpointGroup {
    private final ProfileService profiles;

    public ProfileEndpoints(ProfileService profiles) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
    }

    @Override
    public void register(RouteTable routes) {
        String profile = "/_matrix/client/v3/profile/{userId}";
        routes.add(Method.GET, profile, Authentication.OPTIONAL, this::profile)
                .add(Method.GET, profile + "/{keyName}", Authentication.OPTIONAL, this::field)
                .add(Method.PUT, profile + "/{keyName}", Authentication.REQUIRED, this::setField)
                .add(Method.DELETE, profile + "/{keyName}", Authentication.REQUIRED, this::deleteField);
    }

    /** GET /_matrix/client/v3/profile/{userId} */
    MatrixResponse profile(MatrixRequest request) {
        UserId user = UserIds.fromPath(request);
        return MatrixResponse.ok(ServiceErrors.call(() -> profiles.profile(user)));
    }

    /** GET /_matrix/client/v3/profile/{userId}/{keyName} */
    MatrixResponse field(MatrixRequest request) {
        UserId user = UserIds.fromPath(request);
        String key = request.pathParameter("keyName");
        return MatrixResponse.ok(ServiceErrors.call(() -> profiles.field(user, key)));
    }

    /** PUT /_matrix/client/v3/profile/{userId}/{keyName} */
    MatrixResponse setField(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String key = request.pathParameter("keyName");
        var body = request.jsonObject().raw();
        ServiceErrors.await(ServiceErrors.call(() -> profiles.setField(user, key, body)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** DELETE /_matrix/client/v3/profile/{userId}/{keyName} */
    MatrixResponse deleteField(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String key = request.pathParameter("keyName");
        ServiceErrors.await(ServiceErrors.call(() -> profiles.deleteField(user, key)));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
