package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import java.util.Objects;

/** {@code GET /_matrix/federation/v1/version}: the implementation's name and version. Public. */
public final class VersionEndpoints implements FederationEndpointGroup {
    public static final String SERVER_NAME = "Hyphae";

    private final String version;

    public VersionEndpoints(String version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.addPublic(Method.GET, "/_matrix/federation/v1/version", request -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.putObject("server").put("name", SERVER_NAME).put("version", version);
            return MatrixResponse.ok(body);
        });
    }
}
