package dev.hyphae.node.search;

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
import java.util.Optional;

/** Server-side search ({@code POST /search}). */
public final class SearchEndpoints implements EndpointGroup {
    private final RoomEventSearch search;

    public SearchEndpoints(RoomEventSearch search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.POST, "/_matrix/client/v3/search", Authentication.REQUIRED, this::search);
    }

    /** POST /_matrix/client/v3/search */
    MatrixResponse search(MatrixRequest request) {
        Optional<SearchBatchToken> token = request.queryParameter("next_batch").filter(s -> !s.isEmpty())
                .map(SearchEndpoints::token);
        Optional<SearchRequest> roomEvents = SearchRequest.parse(request.jsonObject().raw());
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode categories = response.putObject("search_categories");
        roomEvents.ifPresent(criteria -> categories.set(SearchRequest.ROOM_EVENTS,
                search.search(request.requester().userId().toString(), criteria, token)));
        return MatrixResponse.ok(response);
    }

    private static SearchBatchToken token(String value) {
        try {
            return SearchBatchToken.parse(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("next_batch is not a token this server handed out");
        }
    }
}
