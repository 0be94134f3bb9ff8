package dev.hyphae.node.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.client.ServiceErrors;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.filter.RoomEventFilter;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.store.EventSearch;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code room_events} criteria of a {@code POST /search} body.
 *
 * @param searchTerm the text as the client sent it
 * @param terms      its words, lower-cased: what every result must contain
 * @param groupBy    {@code room_id} and/or {@code sender}, in the order asked
 */
public record SearchRequest(String searchTerm, List<String> terms, Set<SearchKey> keys, RoomEventFilter filter,
        EventSearch.Order order, Optional<EventContext> eventContext, boolean includeState, List<String> groupBy) {
    /** The only category the spec defines. */
    public static final String ROOM_EVENTS = "room_events";
    /** The default size of the context on each side of a result. */
    static final int DEFAULT_CONTEXT = 5;
    /** The most context events on each side, whatever is asked. */
    static final int MAX_CONTEXT = 100;

    /** Words as the index splits them: letters, digits and private-use characters. */
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}\\p{Co}\\p{M}]+");

    /** The {@code event_context} criteria. */
    public record EventContext(int beforeLimit, int afterLimit, boolean includeProfile) {
    }

    public SearchRequest {
        Objects.requireNonNull(searchTerm, "searchTerm");
        terms = List.copyOf(terms);
        keys = Set.copyOf(keys);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(eventContext, "eventContext");
        groupBy = List.copyOf(groupBy);
    }

    /**
     * Reads the body's {@code room_events} criteria; empty when the body asks for no category.
     *
     * @throws MatrixException M_BAD_JSON when the body or a member has the wrong shape,
     *                         M_INVALID_PARAM for an unknown category, key, ordering or group
     */
    public static Optional<SearchRequest> parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw MatrixException.badJson("the body must be a JSON object");
        }
        JsonNode categories = body.get("search_categories");
        if (categories == null || !categories.isObject()) {
            throw MatrixException.badJson("search_categories must be an object");
        }
        Iterator<String> names = categories.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals(ROOM_EVENTS)) {
                throw MatrixException.invalidParam("unknown search category " + shorten(name)
                        + "; this server searches room_events");
            }
        }
        JsonNode criteria = categories.get(ROOM_EVENTS);
        if (criteria == null || criteria.isNull()) {
            return Optional.empty();
        }
        if (!criteria.isObject()) {
            throw MatrixException.badJson("search_categories.room_events must be an object");
        }
        return Optional.of(parseRoomEvents((ObjectNode) criteria));
    }

    private static SearchRequest parseRoomEvents(ObjectNode criteria) {
        JsonNode termJson = criteria.get("search_term");
        if (termJson == null || !termJson.isTextual()) {
            throw MatrixException.badJson("room_events.search_term must be a string");
        }
        String searchTerm = termJson.textValue();
        return new SearchRequest(searchTerm, terms(searchTerm), keys(criteria.get("keys")),
                filter(criteria.get("filter")), order(criteria.get("order_by")),
                eventContext(criteria.get("event_context")), bool(criteria, "include_state"),
                groupBy(criteria.get("groupings")));
    }

    /** The distinct words of the search term, lower-cased, in their order. */
    static List<String> terms(String searchTerm) {
        Set<String> terms = new LinkedHashSet<>();
        for (String word : NOT_WORD.split(searchTerm)) {
            if (!word.isEmpty()) {
                terms.add(word.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new ArrayList<>(terms);
    }

    private static Set<SearchKey> keys(JsonNode json) {
        if (json == null || json.isNull()) {
            return EnumSet.allOf(SearchKey.class);
        }
        if (!json.isArray()) {
            throw MatrixException.badJson("room_events.keys must be an array of strings");
        }
        Set<SearchKey> keys = EnumSet.noneOf(SearchKey.class);
        for (JsonNode key : json) {
            if (!key.isTextual()) {
                throw MatrixException.badJson("room_events.keys must be an array of strings");
            }
            keys.add(SearchKey.fromWire(key.textValue()).orElseThrow(() -> MatrixException.invalidParam(
                    "room_events.keys: unknown key " + shorten(key.textValue())
                            + "; keys are content.body, content.name and content.topic")));
        }
        return keys.isEmpty() ? EnumSet.allOf(SearchKey.class) : keys;
    }

    private static RoomEventFilter filter(JsonNode json) {
        if (json == null || json.isNull()) {
            return RoomEventFilter.ALL;
        }
        if (!json.isObject()) {
            throw MatrixException.badJson("room_events.filter must be an object");
        }
        // A RoomEventFilter is what a Filter holds under room.timeline; reading it there reuses its checks.
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.putObject("room").set("timeline", json);
        return ServiceErrors.call(() -> Filter.parse(wrapper)).room().timeline();
    }

    private static EventSearch.Order order(JsonNode json) {
        if (json == null || json.isNull()) {
            return EventSearch.Order.RANK;
        }
        if (!json.isTextual()) {
            throw MatrixException.badJson("room_events.order_by must be a string");
        }
        return switch (json.textValue()) {
            case "rank" -> EventSearch.Order.RANK;
            case "recent" -> EventSearch.Order.RECENT;
            default -> throw MatrixException.invalidParam("room_events.order_by must be rank or recent, not "
                    + shorten(json.textValue()));
        };
    }

    private static Optional<EventContext> eventContext(JsonNode json) {
        if (json == null || json.isNull()) {
            return Optional.empty();
        }
        if (!json.isObject()) {
            throw MatrixException.badJson("room_events.event_context must be an object");
        }
        return Optional.of(new EventContext(contextLimit(json, "before_limit"), contextLimit(json, "after_limit"),
                bool(json, "include_profile")));
    }

    private static int contextLimit(JsonNode context, String name) {
        JsonNode value = context.get(name);
        if (value == null || value.isNull()) {
            return DEFAULT_CONTEXT;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw MatrixException.badJson("event_context." + name + " must be an integer");
        }
        if (value.intValue() < 0) {
            throw MatrixException.invalidParam("event_context." + name + " must not be negative");
        }
        return Math.min(value.intValue(), MAX_CONTEXT);
    }

    private static List<String> groupBy(JsonNode json) {
        if (json == null || json.isNull()) {
            return List.of();
        }
        if (!json.isObject()) {
            throw MatrixException.badJson("room_events.groupings must be an object");
        }
        JsonNode groups = json.get("group_by");
        if (groups == null || groups.isNull()) {
            return List.of();
        }
        if (!groups.isArray()) {
            throw MatrixException.badJson("groupings.group_by must be an array");
        }
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode group : groups) {
            JsonNode key = group.get("key");
            if (!group.isObject() || key == null || !key.isTextual()) {
                throw MatrixException.badJson("each of groupings.group_by must be an object with a string key");
            }
            if (!key.textValue().equals("room_id") && !key.textValue().equals("sender")) {
                throw MatrixException.invalidParam("groupings: results group by room_id or sender, not "
                        + shorten(key.textValue()));
            }
            keys.add(key.textValue());
        }
        return new ArrayList<>(keys);
    }

    private static boolean bool(JsonNode object, String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw MatrixException.badJson(name + " must be a boolean");
        }
        return value.booleanValue();
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? "'" + value + "'" : "'" + value.substring(0, 40) + "...'";
    }

    /** The event types the keys stand for. */
    Set<String> types() {
        Set<String> types = new LinkedHashSet<>();
        for (SearchKey key : keys) {
            if (filter.events().matchesType(key.eventType())) {
                types.add(key.eventType());
            }
        }
        return types;
    }
}
