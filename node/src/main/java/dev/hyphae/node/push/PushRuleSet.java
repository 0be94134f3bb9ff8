package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user's push rules in the order they are checked: by kind, and within a kind by priority.
 * Server-default rules come after the user's rules of their kind, except {@code .m.rule.master},
 * which comes before every other rule.
 */
public final class PushRuleSet {
    private final Map<PushRuleKind, List<PushRule>> byKind;

    /** @param byKind each kind's rules, most important first */
    public PushRuleSet(Map<PushRuleKind, List<PushRule>> byKind) {
        EnumMap<PushRuleKind, List<PushRule>> copy = new EnumMap<>(PushRuleKind.class);
        for (PushRuleKind kind : PushRuleKind.values()) {
            List<PushRule> rules = byKind.getOrDefault(kind, List.of());
            for (PushRule rule : rules) {
                if (rule.kind() != kind) {
                    throw new IllegalArgumentException("rule " + rule.ruleId() + " is listed under the wrong kind");
                }
            }
            copy.put(kind, List.copyOf(rules));
        }
        this.byKind = copy;
    }

    /** The rules of one kind, most important first. */
    public List<PushRule> rules(PushRuleKind kind) {
        return byKind.get(kind);
    }

    /** Every rule in checking order. */
    public List<PushRule> inOrder() {
        List<PushRule> all = new ArrayList<>();
        for (PushRuleKind kind : PushRuleKind.values()) {
            all.addAll(byKind.get(kind));
        }
        return all;
    }

    public Optional<PushRule> find(PushRuleKind kind, String ruleId) {
        return byKind.get(kind).stream().filter(rule -> rule.ruleId().equals(ruleId)).findFirst();
    }

    /** The ruleset as {@code GET /pushrules/} and {@code m.push_rules} show it: {@code {"global": {...}}}. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("global", globalJson());
        return root;
    }

    /** The {@code global} scope, as {@code GET /pushrules/global/} shows it. */
    public ObjectNode globalJson() {
        ObjectNode global = JsonNodeFactory.instance.objectNode();
        for (PushRuleKind kind : PushRuleKind.values()) {
            ArrayNode array = global.putArray(kind.wireName());
            byKind.get(kind).forEach(rule -> array.add(rule.toJson()));
        }
        return global;
    }
}
