package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.room.RoomVersions;

/** Capabilities negotiation: what the node lets its users do. */
public final class CapabilitiesEndpoints implements EndpointGroup {
    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/_matrix/client/v3/capabilities", Authentication.REQUIRED, this::capabilities);
    }

    /** GET /_matrix/client/v3/capabilities */
    MatrixResponse capabilities(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode capabilities = body.putObject("capabilities");
        capabilities.putObject("m.change_password").put("enabled", true);
        ObjectNode roomVersions = capabilities.putObject("m.room_versions");
        roomVersions.put("default", RoomVersions.DEFAULT);
        ObjectNode available = roomVersions.putObject("available");
        RoomVersions.all().keySet().forEach(id -> available.put(id, "stable"));
        // Third-party identifiers are not handled by this node.
        capabilities.putObject("m.3pid_changes").put("enabled", false);
        return MatrixResponse.ok(body);
    }
}
