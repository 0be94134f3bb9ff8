package dev.hyphae.node.filter;

import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * POST /user/{userId}/filter and GET /user/{userId}/filter/{filterId}, and the filter parameter
 * of /sync and /messages (a filter ID, or inline JSON starting with '{'). The caller has checked
 * that the requester is {@code user} (else M_FORBIDDEN).
 */
public final class FilterService {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;

    public FilterService(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Validates and stores a filter; completes with its filter ID after commit.
     *
     * @throws FilterException M_BAD_JSON or M_INVALID_PARAM for a filter that does not validate
     */
    public CompletableFuture<String> create(UserId user, JsonNode filterJson) {
        Filter.parse(filterJson);
        String text = filterJson.toString();
        return store.write(tx -> tx.filters().insert(user.toString(), text)).thenApply(StoredFilter::filterId);
    }

    /**
     * The filter as uploaded.
     *
     * @throws FilterException M_NOT_FOUND (404) when the user has no such filter
     */
    public ObjectNode getJson(UserId user, String filterId) {
        StoredFilter stored = store.read(tx -> tx.filters().get(user.toString(), filterId))
                .orElseThrow(() -> FilterException.notFound("no filter " + FilterJson.shorten(filterId)));
        return parseStored(stored.filterJson());
    }

    /**
     * The filter a request names: inline JSON when the parameter starts with '{', else a filter ID
     * of the user; {@link Filter#DEFAULT} for {@code null}.
     *
     * @throws FilterException M_BAD_JSON / M_INVALID_PARAM for bad inline JSON, M_NOT_FOUND for an
     *                         unknown filter ID
     */
    public Filter resolve(UserId user, String filterParameter) {
        if (filterParameter == null) {
            return Filter.DEFAULT;
        }
        if (filterParameter.startsWith("{")) {
            JsonNode inline;
            try {
                inline = JSON.readTree(filterParameter);
            } catch (JsonProcessingException e) {
                throw FilterException.badJson("the inline filter is not valid JSON");
            }
            return Filter.parse(inline);
        }
        return Filter.parse(getJson(user, filterParameter));
    }

    private static ObjectNode parseStored(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored filter is not a JSON object", e);
        }
    }
}
