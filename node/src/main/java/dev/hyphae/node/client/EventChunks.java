package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.filter.RoomEventFilter;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.visibility.HistoryVisibility;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the endpoints that list room events ({@code /messages}, {@code /context}, the relationships
 * API and the thread list) share: their {@code limit} and {@code filter} parameters, and turning
 * stored events into the client events of a chunk, with only what the user may see under the
 * room's history visibility, in the events and in their bundled aggregations.
 */
final class EventChunks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HistoryVisibility visibility;

    EventChunks(HistoryVisibility visibility) {
        this.visibility = Objects.requireNonNull(visibility, "visibility");
    }

    HistoryVisibility visibility() {
        return visibility;
    }

    /**
     * The events of {@code roomId} the user may see and the filter lets through, as client events
     * with their visible aggregations, in the order given.
     */
    ArrayNode chunk(String userId, String roomId, List<RoomEvent> events, RoomEventFilter filter) {
        List<RoomEvent> visible = visibility.visible(userId, roomId, events);
        Map<String, Aggregations> aggregations = visibility.aggregations(visible, userId);
        ArrayNode chunk = JsonNodeFactory.instance.arrayNode();
        for (RoomEvent event : visible) {
            ObjectNode json = ClientEventFormat.clientEvent(event.pdu(), aggregations.get(event.eventId()));
            if (filter.matches(json, roomId)) {
                chunk.add(json);
            }
        }
        return chunk;
    }

    /** One event the user may see, as a client event with its visible aggregations. */
    ObjectNode clientEvent(String userId, RoomEvent event) {
        Aggregations aggregations = visibility.aggregations(List.of(event), userId).get(event.eventId());
        return ClientEventFormat.clientEvent(event.pdu(), aggregations);
    }

    /**
     * The {@code limit} query parameter: {@code defaultLimit} when absent, at most {@code max}.
     *
     * @throws MatrixException M_INVALID_PARAM when it is not an integer or is below {@code min}
     */
    static int limit(MatrixRequest request, int defaultLimit, int min, int max) {
        Optional<String> limit = request.queryParameter("limit");
        if (limit.isEmpty()) {
            return defaultLimit;
        }
        try {
            int value = Integer.parseInt(limit.get());
            if (value < min) {
                throw MatrixException.invalidParam(min == 0 ? "limit must not be negative" : "limit must be positive");
            }
            return Math.min(value, max);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("limit must be an integer");
        }
    }

    /**
     * The {@code filter} query parameter, a RoomEventFilter as JSON; {@link RoomEventFilter#ALL}
     * when absent or empty.
     *
     * @throws MatrixException M_BAD_JSON when it is not a JSON object, the filter's own error when invalid
     */
    static RoomEventFilter filter(MatrixRequest request) {
        Optional<String> parameter = request.queryParameter("filter").filter(s -> !s.isEmpty());
        if (parameter.isEmpty()) {
            return RoomEventFilter.ALL;
        }
        JsonNode json;
        try {
            json = JSON.readTree(parameter.get());
        } catch (IOException e) {
            throw MatrixException.badJson("filter is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw MatrixException.badJson("filter must be a JSON object");
        }
        // A RoomEventFilter is what a Filter holds under room.timeline; reading it there reuses its checks.
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.putObject("room").set("timeline", json);
        return ServiceErrors.call(() -> Filter.parse(wrapper)).room().timeline();
    }
}
