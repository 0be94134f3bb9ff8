package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition of an override or underride push rule. A condition of a kind this server does not
 * know is kept as written and never matches, which makes its rule never match.
 */
public sealed interface PushCondition {
    /** The condition as JSON, as the push rules API returns it. */
    ObjectNode toJson();

    /**
     * Reads a condition.
     *
     * @throws IllegalArgumentException when it is not an object with a string {@code kind}, or a
     *                                  known kind lacks a parameter it needs
     */
    static PushCondition fromJson(JsonNode json) {
        if (!(json instanceof ObjectNode object) || !object.path("kind").isTextual()) {
            throw new IllegalArgumentException("a condition must be an object with a string 'kind'");
        }
        String kind = object.get("kind").asText();
        return switch (kind) {
            case "event_match" -> new EventMatch(text(object, "key"), text(object, "pattern"));
            case "event_property_is" -> new EventPropertyIs(text(object, "key"), scalar(object));
            case "event_property_contains" -> new EventPropertyContains(text(object, "key"), scalar(object));
            case "contains_display_name" -> new ContainsDisplayName();
            case "room_member_count" -> new RoomMemberCount(text(object, "is"));
            case "sender_notification_permission" -> new SenderNotificationPermission(text(object, "key"));
            default -> new Unknown(object.deepCopy());
        };
    }

    private static String text(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("condition '" + object.get("kind").asText() + "' needs a string '"
                    + field + "'");
        }
        return value.asText();
    }

    private static JsonNode scalar(ObjectNode object) {
        JsonNode value = object.get("value");
        if (value == null || !(value.isTextual() || value.isIntegralNumber() || value.isBoolean() || value.isNull())) {
            throw new IllegalArgumentException("condition '" + object.get("kind").asText()
                    + "' needs a 'value' that is a string, an integer, a boolean or null");
        }
        return value.deepCopy();
    }

    /** {@code event_match}: a glob against a string property (word-wise for {@code content.body}). */
    record EventMatch(String key, String pattern, PropertyPath path, GlobPattern glob) implements PushCondition {
        /** The path and the compiled glob are derived from key and pattern once, when the rule is read. */
        public EventMatch(String key, String pattern) {
            this(key, pattern, PropertyPath.parse(key),
                    "content.body".equals(key) ? GlobPattern.words(pattern) : GlobPattern.wholeValue(pattern));
        }

        public EventMatch {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(glob, "glob");
        }

        @Override
        public ObjectNode toJson() {
            return node("event_match").put("key", key).put("pattern", pattern);
        }
    }

    /** {@code event_property_is}: exact equality with a string, integer, boolean or null. */
    record EventPropertyIs(String key, JsonNode value) implements PushCondition {
        public EventPropertyIs {
            Objects.requireNonNull(key, "key");
            value = value.deepCopy();
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = node("event_property_is").put("key", key);
            json.set("value", value.deepCopy());
            return json;
        }
    }

    /** {@code event_property_contains}: an array property holds exactly this value. */
    record EventPropertyContains(String key, JsonNode value) implements PushCondition {
        public EventPropertyContains {
            Objects.requireNonNull(key, "key");
            value = value.deepCopy();
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode json = node("event_property_contains").put("key", key);
            json.set("value", value.deepCopy());
            return json;
        }
    }

    /** {@code contains_display_name} (deprecated): the body holds the user's display name in the room. */
    record ContainsDisplayName() implements PushCondition {
        @Override
        public ObjectNode toJson() {
            return node("contains_display_name");
        }
    }

    /** {@code room_member_count}: {@code is} is a decimal optionally prefixed by ==, <, >, >= or <=. */
    record RoomMemberCount(String is) implements PushCondition {
        private static final Pattern IS = Pattern.compile("(==|<=|>=|<|>)?([0-9]{1,15})");

        public RoomMemberCount {
            Objects.requireNonNull(is, "is");
        }

        /** Whether a room with this many members matches; a malformed {@code is} matches nothing. */
        public boolean matches(long memberCount) {
            Matcher matcher = IS.matcher(is);
            if (!matcher.matches()) {
                return false;
            }
            long number = Long.parseLong(matcher.group(2));
            String operator = Optional.ofNullable(matcher.group(1)).orElse("==");
            return switch (operator) {
                case "<" -> memberCount < number;
                case ">" -> memberCount > number;
                case "<=" -> memberCount <= number;
                case ">=" -> memberCount >= number;
                default -> memberCount == number;
            };
        }

        @Override
        public ObjectNode toJson() {
            return node("room_member_count").put("is", is);
        }
    }

    /** {@code sender_notification_permission}: the sender's power reaches the notification level of {@code key}. */
    record SenderNotificationPermission(String key) implements PushCondition {
        public SenderNotificationPermission {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public ObjectNode toJson() {
            return node("sender_notification_permission").put("key", key);
        }
    }

    /** A condition of a kind this server does not know; it never matches. */
    record Unknown(ObjectNode json) implements PushCondition {
        public Unknown {
            json = json.deepCopy();
        }

        @Override
        public ObjectNode toJson() {
            return json.deepCopy();
        }
    }

    private static ObjectNode node(String kind) {
        return JsonNodeFactory.instance.objectNode().put("kind", kind);
    }
}
