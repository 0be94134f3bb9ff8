package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the body of PUT /pushrules/global/{kind}/{ruleId} into a rule, refusing malformed input. */
final class PushRuleParser {
    private static final Set<String> STRING_ACTIONS = Set.of("notify", "dont_notify", "coalesce");

    private PushRuleParser() {
    }

    /** A new user-defined, enabled rule from a request body. */
    static PushRule parse(PushRuleKind kind, String ruleId, ObjectNode body) {
        if (body == null) {
            throw PushRulesException.badJson("the push rule must be a JSON object");
        }
        if (!body.has("actions")) {
            throw PushRulesException.missingParam("the push rule needs 'actions'");
        }
        List<JsonNode> actions = actions(body.get("actions"));
        Optional<String> pattern = Optional.empty();
        List<PushCondition> conditions = new ArrayList<>();
        if (kind == PushRuleKind.CONTENT) {
            JsonNode value = body.get("pattern");
            if (value == null) {
                throw PushRulesException.missingParam("a content rule needs a 'pattern'");
            }
            if (!value.isTextual()) {
                throw PushRulesException.badJson("'pattern' must be a string");
            }
            pattern = Optional.of(value.asText());
        } else if (kind.hasConditions() && body.has("conditions")) {
            JsonNode array = body.get("conditions");
            if (!array.isArray()) {
                throw PushRulesException.badJson("'conditions' must be an array");
            }
            for (JsonNode condition : array) {
                try {
                    conditions.add(PushCondition.fromJson(condition));
                } catch (IllegalArgumentException e) {
                    throw PushRulesException.badJson(e.getMessage());
                }
            }
        }
        return new PushRule(kind, ruleId, false, true, conditions, pattern, actions);
    }

    /**
     * Reads an actions array: strings {@code notify} (and the historical {@code dont_notify} and
     * {@code coalesce}, which are dropped), or objects with a string {@code set_tweak}.
     */
    static List<JsonNode> actions(JsonNode actions) {
        if (actions == null || !actions.isArray()) {
            throw PushRulesException.badJson("'actions' must be an array");
        }
        List<JsonNode> parsed = new ArrayList<>();
        for (JsonNode action : actions) {
            boolean known = action.isTextual() ? STRING_ACTIONS.contains(action.asText())
                    : action.isObject() && action.path("set_tweak").isTextual();
            if (!known) {
                throw PushRulesException.badJson("unknown push rule action: " + describe(action));
            }
            parsed.add(action);
        }
        return PushRule.withoutHistoricalActions(parsed);
    }

    private static String describe(JsonNode action) {
        String text = action.toString();
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
