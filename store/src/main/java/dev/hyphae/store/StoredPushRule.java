package dev.hyphae.store;

import java.util.Objects;

/**
 * A push rule a user defined, or the user's changes to a server-default rule (whose ID starts with
 * a dot).
 *
 * @param kind     the rule kind as the spec names it: override, content, room, sender, underride
 * @param position the rule's place among the user's rules of its kind, lower is more important
 * @param ruleJson the rule's JSON object as text (actions, and conditions or pattern); for a
 *                 server-default rule only its actions
 */
public record StoredPushRule(String userId, String kind, String ruleId, long position, boolean enabled,
                             String ruleJson) {
    public StoredPushRule {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(ruleJson, "ruleJson");
        if (ruleId.isEmpty()) {
            throw new IllegalArgumentException("rule id must not be empty");
        }
    }
}
