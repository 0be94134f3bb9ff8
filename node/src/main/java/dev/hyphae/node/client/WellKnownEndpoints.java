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
import java.util.Objects;

/** Server discovery: the well-known URI that tells clients the homeserver's base URL. */
public final class WellKnownEndpoints implements EndpointGroup {
    private final ClientSettings settings;

    public WellKnownEndpoints(ClientSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.GET, "/.well-known/matrix/client", Authentication.NONE, this::wellKnown);
    }

    /** GET /.well-known/matrix/client */
    MatrixResponse wellKnown(MatrixRequest request) {
        String baseUrl = settings.baseUrlFor(request)
                .orElseThrow(() -> MatrixException.notFound("No homeserver URL is known for this request"));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("m.homeserver").put("base_url", baseUrl);
        return MatrixResponse.ok(body);
    }
}
