package dev.hyphae.node.userdirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

/** {@code POST /user_directory/search}. */
public final class UserDirectoryEndpoints implements EndpointGroup {
    private final UserDirectory directory;

    public UserDirectoryEndpoints(UserDirectory directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/user_directory/search", Authentication.REQUIRED, this::search);
    }

    /** POST /_matrix/client/v3/user_directory/search */
    MatrixResponse search(MatrixRequest request) {
        ObjectNode body = request.jsonObject().raw();
        JsonNode term = body.get("search_term");
        if (term == null || term.isNull()) {
            throw MatrixException.missingParam("search_term is required");
        }
        if (!term.isTextual()) {
            throw MatrixException.badJson("search_term must be a string");
        }
        int limit = UserDirectory.DEFAULT_LIMIT;
        JsonNode limitJson = body.get("limit");
        if (limitJson != null && !limitJson.isNull()) {
            if (!limitJson.isIntegralNumber() || !limitJson.canConvertToInt()) {
                throw MatrixException.badJson("limit must be an integer");
            }
            if (limitJson.intValue() < 0) {
                throw MatrixException.invalidParam("limit must not be negative");
            }
            limit = limitJson.intValue();
        }
        UserDirectory.Results found = directory.search(request.requester().userId().toString(), term.textValue(), limit);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode results = response.putArray("results");
        for (UserDirectory.Entry entry : found.results()) {
            ObjectNode user = results.addObject();
            user.put("user_id", entry.userId());
            entry.displayName().ifPresent(name -> user.put("display_name", name));
            entry.avatarUrl().ifPresent(url -> user.put("avatar_url", url));
        }
        response.put("limited", found.limited());
        return MatrixResponse.ok(response);
    }
}
