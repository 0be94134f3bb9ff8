package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.util.List;

/** API versions: which versions of the client-server API this node speaks. */
public final class VersionsEndpoints implements EndpointGroup {
    /**
     * Only versions whose changes to the endpoints served here are implemented: r0.6.1 and v1.1
     * (the paths matrix-nio and others use), v1.2 (registration tokens) and v1.3 (refresh tokens).
     * v1.4 and later change endpoints that do not exist here yet (for example v1.4's threaded
     * receipts and v1.11's authenticated media); claim them only once those are served.
     */
    static final List<String> VERSIONS = List.of("r0.6.1", "v1.1", "v1.2", "v1.3");

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/versions", Authentication.OPTIONAL, this::versions);
    }

    /** GET /_matrix/client/versions */
    MatrixResponse versions(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode versions = body.putArray("versions");
        VERSIONS.forEach(versions::add);
        body.putObject("unstable_features");
        return MatrixResponse.ok(body);
    }
}
