package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;

/**
 * The options of {@code /publicRooms}.
 *
 * @param limit             the most rooms to return, or 0 for no limit
 * @param since             a {@code next_batch} or {@code prev_batch} token of an earlier answer
 * @param genericSearchTerm text to find, case-insensitively, in the name, topic or canonical alias
 */
public record PublicRoomsQuery(int limit, Optional<String> since, Optional<String> genericSearchTerm,
        RoomTypeFilter roomTypes) {
    public PublicRoomsQuery {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(genericSearchTerm, "genericSearchTerm");
        Objects.requireNonNull(roomTypes, "roomTypes");
        if (limit < 0) {
            throw DirectoryException.invalidParam("limit must not be negative");
        }
    }

    /**
     * The body of {@code POST /publicRooms}: {@code limit}, {@code since} and {@code filter}
     * ({@code generic_search_term}, {@code room_types}).
     *
     * @throws DirectoryException M_INVALID_PARAM for a negative or non-integer limit, M_BAD_JSON
     *                            for fields of the wrong type
     */
    public static PublicRoomsQuery fromJson(ObjectNode body) {
        JsonNode limitNode = body.path("limit");
        int limit = 0;
        if (!limitNode.isMissingNode() && !limitNode.isNull()) {
            if (!limitNode.isIntegralNumber() || !limitNode.canConvertToInt() || limitNode.asInt() < 0) {
                throw DirectoryException.invalidParam("limit must be a non-negative integer");
            }
            limit = limitNode.asInt();
        }
        Optional<String> since = Optional.empty();
        JsonNode sinceNode = body.path("since");
        if (sinceNode.isTextual()) {
            since = Optional.of(sinceNode.textValue());
        } else if (!sinceNode.isMissingNode() && !sinceNode.isNull()) {
            throw DirectoryException.badJson("since must be a string");
        }
        Optional<String> term = Optional.empty();
        RoomTypeFilter types = RoomTypeFilter.ANY;
        JsonNode filter = body.path("filter");
        if (!filter.isMissingNode() && !filter.isNull()) {
            if (!filter.isObject()) {
                throw DirectoryException.badJson("filter must be an object");
            }
            JsonNode search = filter.path("generic_search_term");
            if (search.isTextual()) {
                term = Optional.of(search.textValue().trim()).filter(text -> !text.isEmpty());
            } else if (!search.isMissingNode() && !search.isNull()) {
                throw DirectoryException.badJson("generic_search_term must be a string");
            }
            types = roomTypes(filter.path("room_types"));
        }
        return new PublicRoomsQuery(limit, since, term, types);
    }

    private static RoomTypeFilter roomTypes(JsonNode roomTypes) {
        if (roomTypes.isMissingNode() || roomTypes.isNull()) {
            return RoomTypeFilter.ANY;
        }
        if (!roomTypes.isArray()) {
            throw DirectoryException.badJson("room_types must be an array of room types and null");
        }
        Set<String> types = new HashSet<>();
        boolean untyped = false;
        for (JsonNode type : roomTypes) {
            if (type.isNull()) {
                untyped = true;
            } else if (type.isTextual()) {
                types.add(type.textValue());
            } else {
                throw DirectoryException.badJson("room_types must be an array of room types and null");
            }
        }
        return new RoomTypeFilter(types, untyped);
    }

    /** Every published room at once. */
    public static PublicRoomsQuery all() {
        return new PublicRoomsQuery(0, Optional.empty(), Optional.empty(), RoomTypeFilter.ANY);
    }
}
