package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;

/**
 * Runs a user's push rules over an event: the first enabled rule whose conditions all hold decides
 * the actions. Stateless; the room facts come in a {@link RoomPushContext}.
 */
public final class PushEvaluator {

    /**
     * Evaluates the rules for an event (client or federation format: {@code type}, {@code content},
     * {@code sender}, {@code room_id}, optional {@code state_key}). The user's own events never
     * notify, as the spec requires.
     */
    public PushEvaluation evaluate(PushRuleSet rules, String userId, ObjectNode event, RoomPushContext room) {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(room, "room");
        if (userId.equals(event.path("sender").asText(null))) {
            return PushEvaluation.NONE;
        }
        for (PushRule rule : rules.inOrder()) {
            if (rule.enabled() && matches(rule, event, room)) {
                return PushEvaluation.of(rule);
            }
        }
        return PushEvaluation.NONE;
    }

    /** Whether the rule's conditions hold for the event, ignoring whether the rule is enabled. */
    public boolean matches(PushRule rule, ObjectNode event, RoomPushContext room) {
        return switch (rule.kind()) {
            case OVERRIDE, UNDERRIDE -> rule.conditions().stream().allMatch(c -> holds(c, event, room));
            case CONTENT -> rule.pattern().isPresent()
                    && holds(new PushCondition.EventMatch("content.body", rule.pattern().get()), event, room);
            case ROOM -> rule.ruleId().equals(event.path("room_id").asText(null));
            case SENDER -> rule.ruleId().equals(event.path("sender").asText(null));
        };
    }

    /** Whether one condition holds for the event. */
    public boolean holds(PushCondition condition, ObjectNode event, RoomPushContext room) {
        if (condition instanceof PushCondition.EventMatch match) {
            Optional<JsonNode> value = match.path().lookup(event);
            return value.isPresent() && value.get().isTextual() && match.glob().matches(value.get().asText());
        }
        if (condition instanceof PushCondition.EventPropertyIs is) {
            Optional<JsonNode> value = PropertyPath.parse(is.key()).lookup(event);
            return value.isPresent() && sameScalar(value.get(), is.value());
        }
        if (condition instanceof PushCondition.EventPropertyContains contains) {
            Optional<JsonNode> value = PropertyPath.parse(contains.key()).lookup(event);
            if (value.isEmpty() || !value.get().isArray()) {
                return false;
            }
            for (JsonNode element : value.get()) {
                if (sameScalar(element, contains.value())) {
                    return true;
                }
            }
            return false;
        }
        if (condition instanceof PushCondition.ContainsDisplayName) {
            JsonNode body = event.path("content").path("body");
            Optional<String> name = room.userDisplayName().filter(n -> !n.isBlank());
            return body.isTextual() && name.isPresent() && GlobPattern.literalWords(name.get()).matches(body.asText());
        }
        if (condition instanceof PushCondition.RoomMemberCount count) {
            return count.matches(room.memberCount());
        }
        if (condition instanceof PushCondition.SenderNotificationPermission permission) {
            return room.senderPowerLevel() >= room.requiredLevel(permission.key());
        }
        // Unknown conditions never match.
        return false;
    }

    /** Exact equality of strings, integers, booleans and null; anything else never matches. */
    private static boolean sameScalar(JsonNode actual, JsonNode expected) {
        if (actual.isTextual() && expected.isTextual()) {
            return actual.asText().equals(expected.asText());
        }
        if (actual.isIntegralNumber() && expected.isIntegralNumber()) {
            return actual.canConvertToLong() && expected.canConvertToLong() && actual.asLong() == expected.asLong();
        }
        if (actual.isBoolean() && expected.isBoolean()) {
            return actual.asBoolean() == expected.asBoolean();
        }
        return actual.isNull() && expected.isNull();
    }
}
