package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.room.RedactionRules;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The redaction algorithm of the room versions ("Redactions" in each version's text): strip every
 * top-level key not in the version's list and every content key not protected for the event type.
 *
 * <p>The result shares the kept subtrees with the input (no deep copy), so that hashing and
 * signature checks stay cheap; deep-copy it before changing either.
 */
public final class Redaction {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Top-level keys kept by every version. */
    private static final Set<String> KEPT_KEYS = Set.of("event_id", "type", "room_id", "sender", "state_key",
            "content", "hashes", "signatures", "depth", "prev_events", "auth_events", "origin_server_ts");
    /** Top-level keys kept before room version 11 as well. */
    private static final Set<String> KEPT_KEYS_BEFORE_V11 = Set.of("prev_state", "origin", "membership");

    private static final Set<String> POWER_LEVELS_KEYS = Set.of("ban", "events", "events_default", "kick", "redact",
            "state_default", "users", "users_default");
    private static final Set<String> POWER_LEVELS_KEYS_V11 = Set.of("ban", "events", "events_default", "invite",
            "kick", "redact", "state_default", "users", "users_default");

    private Redaction() {
    }

    /** The redacted form of {@code event} under {@code rules}. The input is not changed. */
    public static ObjectNode redact(ObjectNode event, RedactionRules rules) {
        ObjectNode redacted = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (KEPT_KEYS.contains(key) || (!rules.v11Rules() && KEPT_KEYS_BEFORE_V11.contains(key))) {
                redacted.set(key, entry.getValue());
            }
        }
        JsonNode type = event.get("type");
        JsonNode content = event.get("content");
        ObjectNode newContent = content instanceof ObjectNode object && type != null && type.isTextual()
                ? redactContent(type.textValue(), object, rules)
                : NODES.objectNode();
        redacted.set("content", newContent);
        return redacted;
    }

    private static ObjectNode redactContent(String type, ObjectNode content, RedactionRules rules) {
        ObjectNode kept = NODES.objectNode();
        switch (type) {
            case "m.room.member" -> {
                keep(content, kept, "membership");
                if (rules.keepsJoinAuthorisedViaUsersServer()) {
                    keep(content, kept, "join_authorised_via_users_server");
                }
                if (rules.v11Rules()) {
                    JsonNode invite = content.get("third_party_invite");
                    if (invite instanceof ObjectNode inviteObject && inviteObject.has("signed")) {
                        kept.putObject("third_party_invite").set("signed", inviteObject.get("signed"));
                    }
                }
            }
            case "m.room.create" -> {
                if (rules.v11Rules()) {
                    return content;
                }
                keep(content, kept, "creator");
            }
            case "m.room.join_rules" -> {
                keep(content, kept, "join_rule");
                if (rules.keepsJoinRulesAllow()) {
                    keep(content, kept, "allow");
                }
            }
            case "m.room.power_levels" -> {
                for (String key : rules.v11Rules() ? POWER_LEVELS_KEYS_V11 : POWER_LEVELS_KEYS) {
                    keep(content, kept, key);
                }
            }
            case "m.room.aliases" -> {
                if (rules.keepsAliases()) {
                    keep(content, kept, "aliases");
                }
            }
            case "m.room.history_visibility" -> keep(content, kept, "history_visibility");
            case "m.room.redaction" -> {
                if (rules.v11Rules()) {
                    keep(content, kept, "redacts");
                }
            }
            default -> {
                // Every other event type loses all of its content.
            }
        }
        return kept;
    }

    private static void keep(ObjectNode from, ObjectNode to, String key) {
        JsonNode value = from.get(key);
        if (value != null) {
            to.set(key, value);
        }
    }
}
