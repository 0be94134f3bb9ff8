package dev.hyphae.node.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server-default push rules of Matrix v1.19 ("Predefined Rules"), in the order the spec lists
 * them. There are no default content, room or sender rules since v1.17 removed the legacy rules
 * that looked for mentions in the body. The definitions are the spec's JSON, with
 * {@code [the user's Matrix ID]} standing for the user the rules belong to.
 */
public final class DefaultPushRules {
    static final String USER_PLACEHOLDER = "[the user's Matrix ID]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> OVERRIDE = List.of(
            """
            {"rule_id": ".m.rule.master", "default": true, "enabled": false, "conditions": [], "actions": []}""",
            """
            {"rule_id": ".m.rule.suppress_notices", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "content.msgtype", "pattern": "m.notice"}],
             "actions": []}""",
            """
            {"rule_id": ".m.rule.invite_for_me", "default": true, "enabled": true,
             "conditions": [
               {"key": "type", "kind": "event_match", "pattern": "m.room.member"},
               {"key": "content.membership", "kind": "event_match", "pattern": "invite"},
               {"key": "state_key", "kind": "event_match", "pattern": "[the user's Matrix ID]"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}]}""",
            """
            {"rule_id": ".m.rule.member_event", "default": true, "enabled": true,
             "conditions": [{"key": "type", "kind": "event_match", "pattern": "m.room.member"}],
             "actions": []}""",
            """
            {"rule_id": ".m.rule.is_user_mention", "default": true, "enabled": true,
             "conditions": [{"kind": "event_property_contains", "key": "content.m\\\\.mentions.user_ids",
                             "value": "[the user's Matrix ID]"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}, {"set_tweak": "highlight"}]}""",
            """
            {"rule_id": ".m.rule.is_room_mention", "default": true, "enabled": true,
             "conditions": [
               {"kind": "event_property_is", "key": "content.m\\\\.mentions.room", "value": true},
               {"kind": "sender_notification_permission", "key": "room"}],
             "actions": ["notify", {"set_tweak": "highlight"}]}""",
            """
            {"rule_id": ".m.rule.tombstone", "default": true, "enabled": true,
             "conditions": [
               {"kind": "event_match", "key": "type", "pattern": "m.room.tombstone"},
               {"kind": "event_match", "key": "state_key", "pattern": ""}],
             "actions": ["notify", {"set_tweak": "highlight"}]}""",
            """
            {"rule_id": ".m.rule.reaction", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.reaction"}],
             "actions": []}""",
            """
            {"rule_id": ".m.rule.room.server_acl", "default": true, "enabled": true,
             "conditions": [
               {"kind": "event_match", "key": "type", "pattern": "m.room.server_acl"},
               {"kind": "event_match", "key": "state_key", "pattern": ""}],
             "actions": []}""",
            """
            {"rule_id": ".m.rule.suppress_edits", "default": true, "enabled": true,
             "conditions": [{"kind": "event_property_is", "key": "content.m\\\\.relates_to.rel_type",
                             "value": "m.replace"}],
             "actions": []}""");

    private static final List<String> UNDERRIDE = List.of(
            """
            {"rule_id": ".m.rule.call", "default": true, "enabled": true,
             "conditions": [{"key": "type", "kind": "event_match", "pattern": "m.call.invite"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "ring"}]}""",
            """
            {"rule_id": ".m.rule.encrypted_room_one_to_one", "default": true, "enabled": true,
             "conditions": [
               {"kind": "room_member_count", "is": "2"},
               {"kind": "event_match", "key": "type", "pattern": "m.room.encrypted"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}]}""",
            """
            {"rule_id": ".m.rule.room_one_to_one", "default": true, "enabled": true,
             "conditions": [
               {"kind": "room_member_count", "is": "2"},
               {"kind": "event_match", "key": "type", "pattern": "m.room.message"}],
             "actions": ["notify", {"set_tweak": "sound", "value": "default"}]}""",
            """
            {"rule_id": ".m.rule.message", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.room.message"}],
             "actions": ["notify"]}""",
            """
            {"rule_id": ".m.rule.encrypted", "default": true, "enabled": true,
             "conditions": [{"kind": "event_match", "key": "type", "pattern": "m.room.encrypted"}],
             "actions": ["notify"]}""");

    private static final List<ObjectNode> OVERRIDE_JSON = parseAll(OVERRIDE);
    private static final List<ObjectNode> UNDERRIDE_JSON = parseAll(UNDERRIDE);

    private DefaultPushRules() {
    }

    /** The default override rules for the user, {@code .m.rule.master} first. */
    public static List<PushRule> override(String userId) {
        return rules(PushRuleKind.OVERRIDE, OVERRIDE_JSON, userId);
    }

    public static List<PushRule> underride(String userId) {
        return rules(PushRuleKind.UNDERRIDE, UNDERRIDE_JSON, userId);
    }

    /** The default rule with this kind and ID, if there is one. */
    public static Optional<PushRule> find(PushRuleKind kind, String ruleId, String userId) {
        List<PushRule> rules = switch (kind) {
            case OVERRIDE -> override(userId);
            case UNDERRIDE -> underride(userId);
            default -> List.of();
        };
        return rules.stream().filter(rule -> rule.ruleId().equals(ruleId)).findFirst();
    }

    private static List<ObjectNode> parseAll(List<String> definitions) {
        List<ObjectNode> parsed = new ArrayList<>(definitions.size());
        for (String definition : definitions) {
            try {
                parsed.add((ObjectNode) JSON.readTree(definition));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("default push rule definition is not JSON", e);
            }
        }
        return List.copyOf(parsed);
    }

    /** The definitions as rules of the user; the shared JSON is only read, never changed. */
    private static List<PushRule> rules(PushRuleKind kind, List<ObjectNode> definitions, String userId) {
        List<PushRule> rules = new ArrayList<>(definitions.size());
        for (ObjectNode json : definitions) {
            List<PushCondition> conditions = new ArrayList<>();
            for (JsonNode condition : json.get("conditions")) {
                ObjectNode copy = condition.deepCopy();
                copy.fields().forEachRemaining(field -> {
                    if (USER_PLACEHOLDER.equals(field.getValue().asText(null))) {
                        field.setValue(TextNode.valueOf(userId));
                    }
                });
                conditions.add(PushCondition.fromJson(copy));
            }
            List<JsonNode> actions = new ArrayList<>();
            json.get("actions").forEach(actions::add);
            rules.add(new PushRule(kind, json.get("rule_id").asText(), true, json.get("enabled").asBoolean(),
                    conditions, Optional.empty(), actions));
        }
        return List.copyOf(rules);
    }
}
