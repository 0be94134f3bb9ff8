package dev.hyphae.node.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The event keys the {@code room_events} category searches, each with the one event type it
 * belongs to and the way its text is read from that type's content.
 */
public enum SearchKey {
    /** {@code content.body} of {@code m.room.message}. */
    BODY("content.body", "m.room.message"),
    /** {@code content.name} of {@code m.room.name}. */
    NAME("content.name", "m.room.name"),
    /**
     * {@code content.topic} of {@code m.room.topic}, with the {@code text/plain} bodies of
     * {@code content["m.topic"]}.
     */
    TOPIC("content.topic", "m.room.topic");

    private final String wireName;
    private final String eventType;

    SearchKey(String wireName, String eventType) {
        this.wireName = wireName;
        this.eventType = eventType;
    }

    public String wireName() {
        return wireName;
    }

    public String eventType() {
        return eventType;
    }

    /** The key named {@code content.body}, {@code content.name} or {@code content.topic}. */
    public static Optional<SearchKey> fromWire(String name) {
        for (SearchKey key : values()) {
            if (key.wireName.equals(name)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** The key whose event type is {@code type}. */
    public static Optional<SearchKey> forType(String type) {
        for (SearchKey key : values()) {
            if (key.eventType.equals(type)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /**
     * The searchable text of an event of this key's type; empty when the content has none (a
     * redacted event keeps none of these fields).
     */
    public Optional<String> text(JsonNode content) {
        StringBuilder text = new StringBuilder();
        switch (this) {
            case BODY -> append(text, content.get("body"));
            case NAME -> append(text, content.get("name"));
            case TOPIC -> {
                append(text, content.get("topic"));
                JsonNode representations = content.path("m.topic").path("m.text");
                if (representations.isArray()) {
                    for (JsonNode representation : representations) {
                        String mimetype = representation.path("mimetype").asText("text/plain");
                        if (mimetype.equals("text/plain")) {
                            append(text, representation.get("body"));
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("unknown key " + this);
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
    }

    /** The searchable text of an event of any type; empty for types that are not searched. */
    public static Optional<String> textOf(String type, JsonNode content) {
        return forType(type).flatMap(key -> key.text(content));
    }

    private static void append(StringBuilder text, JsonNode value) {
        if (value != null && value.isTextual() && !value.textValue().isBlank()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(value.textValue());
        }
    }
}
