package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.filter.FilterService;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.UserId;
import java.util.Objects;

/** Filters (client-server API, "Filtering"): uploading and reading a user's stored filters. */
public final class FilterEndpoints implements EndpointGroup {
    private final FilterService filters;

    public FilterEndpoints(FilterService filters) {
        this.filters = Objects.requireNonNull(filters, "filters");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/user/{userId}/filter", Authentication.REQUIRED, this::create)
                .add(Method.GET, "/_matrix/client/v3/user/{userId}/filter/{filterId}", Authentication.REQUIRED, this::get);
    }

    /** POST /_matrix/client/v3/user/{userId}/filter */
    MatrixResponse create(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        JsonNode filter = request.jsonObject().raw();
        String filterId = ServiceErrors.await(ServiceErrors.call(() -> filters.create(user, filter)));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("filter_id", filterId);
        return MatrixResponse.ok(response);
    }

    /** GET /_matrix/client/v3/user/{userId}/filter/{filterId} */
    MatrixResponse get(MatrixRequest request) {
        UserId user = UserIds.requireSelf(request);
        String filterId = request.pathParameter("filterId");
        return MatrixResponse.ok(ServiceErrors.call(() -> filters.getJson(user, filterId)));
    }
}
