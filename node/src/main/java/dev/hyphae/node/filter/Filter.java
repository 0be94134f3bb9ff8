package dev.hyphae.node.filter;

import dev.hyphae.node.push.PropertyPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec's Filter, as uploaded with POST /user/{userId}/filter or given inline to /sync.
 *
 * @param eventFields the fields to keep in each event, absent for all of them
 */
public record Filter(Optional<List<String>> eventFields, EventFormat eventFormat, EventFilter presence,
                     EventFilter accountData, RoomFilter room) {
    /** {@code client} events suit clients; {@code federation} events are the raw PDUs. */
    public enum EventFormat {
        CLIENT, FEDERATION
    }

    /** The filter of a request that gives none. */
    public static final Filter DEFAULT = new Filter(Optional.empty(), EventFormat.CLIENT, EventFilter.ALL,
            EventFilter.ALL, RoomFilter.ALL);

    public Filter {
        eventFields = eventFields.map(List::copyOf);
        Objects.requireNonNull(eventFormat, "eventFormat");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(accountData, "accountData");
        Objects.requireNonNull(room, "room");
    }

    /**
     * Reads and validates a filter.
     *
     * @throws FilterException M_BAD_JSON when the filter or a member has the
     *                         wrong JSON type, M_INVALID_PARAM when a value is not allowed
     */
    public static Filter parse(JsonNode json) {
        if (!(json instanceof ObjectNode object)) {
            throw FilterException.badJson("a filter must be a JSON object");
        }
        Optional<List<String>> eventFields = FilterJson.strings(object, "event_fields", "", null);
        EventFormat format = EventFormat.CLIENT;
        JsonNode formatJson = object.get("event_format");
        if (formatJson != null && !formatJson.isNull()) {
            if (!formatJson.isTextual()) {
                throw FilterException.badJson("event_format must be a string");
            }
            format = switch (formatJson.asText()) {
                case "client" -> EventFormat.CLIENT;
                case "federation" -> EventFormat.FEDERATION;
                default -> throw FilterException.invalidParam("event_format must be 'client' or 'federation', not "
                        + FilterJson.shorten(formatJson.asText()));
            };
        }
        EventFilter presence = FilterJson.object(object, "presence", "")
                .map(o -> EventFilter.parse(o, "presence.")).orElse(EventFilter.ALL);
        EventFilter accountData = FilterJson.object(object, "account_data", "")
                .map(o -> EventFilter.parse(o, "account_data.")).orElse(EventFilter.ALL);
        RoomFilter room = FilterJson.object(object, "room", "").map(RoomFilter::parse).orElse(RoomFilter.ALL);
        return new Filter(eventFields, format, presence, accountData, room);
    }

    /** Keeps only the {@code event_fields} of the event (a copy); the whole event when none are listed. */
    public ObjectNode project(ObjectNode event) {
        if (eventFields.isEmpty()) {
            return event.deepCopy();
        }
        ObjectNode projected = event.objectNode();
        for (String field : eventFields.get()) {
            PropertyPath path = PropertyPath.parse(field);
            path.lookup(event).ifPresent(value -> put(projected, path.names(), value));
        }
        return projected;
    }

    private static void put(ObjectNode target, List<String> names, JsonNode value) {
        ObjectNode node = target;
        for (String name : names.subList(0, names.size() - 1)) {
            JsonNode child = node.get(name);
            node = child instanceof ObjectNode object ? object : node.putObject(name);
        }
        node.set(names.get(names.size() - 1), value.deepCopy());
    }
}
