package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One push rule. Room and sender rules have their condition in the rule ID (the room or the sender),
 * content rules in {@link #pattern()}, override and underride rules in {@link #conditions()}.
 *
 * @param isDefault true for a server-default rule (its rule ID starts with a dot)
 * @param actions   the actions, historical ones ({@code dont_notify}, {@code coalesce}) removed
 */
public record PushRule(PushRuleKind kind, String ruleId, boolean isDefault, boolean enabled,
                       List<PushCondition> conditions, Optional<String> pattern, List<JsonNode> actions) {
    /** Actions older versions of the spec defined, which must be ignored. */
    static final Set<String> HISTORICAL_ACTIONS = Set.of("dont_notify", "coalesce");

    public PushRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(pattern, "pattern");
        conditions = List.copyOf(conditions);
        actions = withoutHistoricalActions(actions);
    }

    static List<JsonNode> withoutHistoricalActions(List<JsonNode> actions) {
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode action : actions) {
            if (!(action.isTextual() && HISTORICAL_ACTIONS.contains(action.asText()))) {
                kept.add(action.deepCopy());
            }
        }
        return List.copyOf(kept);
    }

    public PushRule withEnabled(boolean newEnabled) {
        return new PushRule(kind, ruleId, isDefault, newEnabled, conditions, pattern, actions);
    }

    public PushRule withActions(List<JsonNode> newActions) {
        return new PushRule(kind, ruleId, isDefault, enabled, conditions, pattern, newActions);
    }

    public ArrayNode actionsJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        actions.forEach(action -> array.add(action.deepCopy()));
        return array;
    }

    /** The rule as the push rules API and the {@code m.push_rules} account data show it. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("rule_id", ruleId);
        json.put("default", isDefault);
        json.put("enabled", enabled);
        json.set("actions", actionsJson());
        if (kind.hasConditions()) {
            ArrayNode array = json.putArray("conditions");
            conditions.forEach(condition -> array.add(condition.toJson()));
        }
        pattern.ifPresent(p -> json.put("pattern", p));
        return json;
    }
}
