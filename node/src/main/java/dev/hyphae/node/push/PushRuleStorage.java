package dev.hyphae.node.push;

import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.StoredPushRule;
import dev.hyphae.store.WriteTransaction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps push rules to and from stored rows. A user-defined rule is stored whole; a server-default
 * rule is stored only once the user changes it, as its enabled flag and, when changed, its actions.
 */
final class PushRuleStorage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PushRuleStorage() {
    }

    /** The user's whole ruleset: stored rules merged with the server-default rules. */
    static PushRuleSet load(ReadTransaction tx, String userId) {
        Map<PushRuleKind, List<PushRule>> own = new EnumMap<>(PushRuleKind.class);
        Map<String, StoredPushRule> defaultChanges = new HashMap<>();
        for (StoredPushRule stored : tx.pushRules().forUser(userId)) {
            Optional<PushRuleKind> kind = PushRuleKind.fromWireName(stored.kind());
            if (kind.isEmpty()) {
                continue;
            }
            if (stored.ruleId().startsWith(".")) {
                defaultChanges.put(kind.get().wireName() + "/" + stored.ruleId(), stored);
            } else {
                own.computeIfAbsent(kind.get(), k -> new ArrayList<>()).add(userRule(kind.get(), stored));
            }
        }
        Map<PushRuleKind, List<PushRule>> byKind = new EnumMap<>(PushRuleKind.class);
        for (PushRuleKind kind : PushRuleKind.values()) {
            List<PushRule> defaults = new ArrayList<>();
            for (PushRule rule : defaults(kind, userId)) {
                StoredPushRule change = defaultChanges.get(kind.wireName() + "/" + rule.ruleId());
                defaults.add(change == null ? rule : changedDefault(rule, change));
            }
            List<PushRule> ordered = new ArrayList<>();
            // .m.rule.master comes before even the user's own override rules.
            if (kind == PushRuleKind.OVERRIDE && !defaults.isEmpty()) {
                ordered.add(defaults.remove(0));
            }
            ordered.addAll(own.getOrDefault(kind, List.of()));
            ordered.addAll(defaults);
            byKind.put(kind, ordered);
        }
        return new PushRuleSet(byKind);
    }

    /**
     * Stores a user-defined rule: right before {@code before}, else right after {@code after}, else
     * where it already was, else as the most important rule of its kind. An existing rule keeps its
     * enabled flag.
     */
    static void placeUserRule(WriteTransaction tx, String userId, PushRule rule, String before, String after) {
        String kind = rule.kind().wireName();
        List<StoredPushRule> ordered = new ArrayList<>();
        StoredPushRule existing = null;
        for (StoredPushRule stored : tx.pushRules().forUser(userId)) {
            if (!stored.kind().equals(kind) || stored.ruleId().startsWith(".")) {
                continue;
            }
            if (stored.ruleId().equals(rule.ruleId())) {
                existing = stored;
            } else {
                ordered.add(stored);
            }
        }
        boolean enabled = existing == null || existing.enabled();
        StoredPushRule placed = new StoredPushRule(userId, kind, rule.ruleId(), 0, enabled, ruleJson(rule));
        String anchor = before != null ? before : after;
        int index;
        if (anchor != null) {
            index = indexOf(ordered, anchor);
            if (index < 0) {
                throw PushRulesException.unknown("before/after rule not found: " + anchor);
            }
            if (before == null) {
                index++;
            }
        } else if (existing != null) {
            long previousPosition = existing.position();
            index = (int) ordered.stream().filter(r -> r.position() < previousPosition).count();
        } else {
            index = 0;
        }
        ordered.add(index, placed);
        for (int i = 0; i < ordered.size(); i++) {
            StoredPushRule r = ordered.get(i);
            tx.pushRules().put(new StoredPushRule(userId, kind, r.ruleId(), i, r.enabled(), r.ruleJson()));
        }
    }

    /** Stores a changed enabled flag or actions of an existing rule, default or user-defined. */
    static void update(WriteTransaction tx, String userId, PushRule rule) {
        String kind = rule.kind().wireName();
        if (rule.isDefault()) {
            ObjectNode json = JSON.createObjectNode();
            json.set("actions", rule.actionsJson());
            tx.pushRules().put(new StoredPushRule(userId, kind, rule.ruleId(), 0, rule.enabled(), json.toString()));
            return;
        }
        StoredPushRule stored = tx.pushRules().get(userId, kind, rule.ruleId())
                .orElseThrow(() -> PushRulesService.notFound(rule.ruleId()));
        tx.pushRules().put(new StoredPushRule(userId, kind, rule.ruleId(), stored.position(), rule.enabled(),
                ruleJson(rule)));
    }

    private static int indexOf(List<StoredPushRule> rules, String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).ruleId().equals(ruleId)) {
                return i;
            }
        }
        return -1;
    }

    private static List<PushRule> defaults(PushRuleKind kind, String userId) {
        return switch (kind) {
            case OVERRIDE -> DefaultPushRules.override(userId);
            case UNDERRIDE -> DefaultPushRules.underride(userId);
            default -> List.of();
        };
    }

    private static PushRule changedDefault(PushRule rule, StoredPushRule change) {
        PushRule changed = rule.withEnabled(change.enabled());
        JsonNode actions = parse(change.ruleJson()).get("actions");
        if (actions != null && actions.isArray()) {
            List<JsonNode> list = new ArrayList<>();
            actions.forEach(list::add);
            changed = changed.withActions(list);
        }
        return changed;
    }

    private static PushRule userRule(PushRuleKind kind, StoredPushRule stored) {
        ObjectNode json = parse(stored.ruleJson());
        List<JsonNode> actions = new ArrayList<>();
        json.path("actions").forEach(actions::add);
        List<PushCondition> conditions = new ArrayList<>();
        json.path("conditions").forEach(condition -> conditions.add(PushCondition.fromJson(condition)));
        Optional<String> pattern = json.path("pattern").isTextual()
                ? Optional.of(json.get("pattern").asText()) : Optional.empty();
        return new PushRule(kind, stored.ruleId(), false, stored.enabled(), conditions, pattern, actions);
    }

    private static String ruleJson(PushRule rule) {
        ObjectNode json = JSON.createObjectNode();
        json.set("actions", rule.actionsJson());
        if (rule.kind().hasConditions()) {
            json.putArray("conditions").addAll(rule.conditions().stream().map(PushCondition::toJson).toList());
        }
        rule.pattern().ifPresent(p -> json.put("pattern", p));
        return json.toString();
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored push rule is not a JSON object", e);
        }
    }
}
