package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of the push rules for one event and one user.
 *
 * @param matchedRule the first enabled rule that matched, if any
 * @param actions     its actions (empty when none matched)
 * @param notifies    whether the event notifies the user (counts as unread notification)
 * @param highlight   whether it is highlighted (counts as an unread highlight)
 * @param sound       the {@code sound} tweak, if set
 */
public record PushEvaluation(Optional<PushRule> matchedRule, List<JsonNode> actions, boolean notifies,
                             boolean highlight, Optional<String> sound) {
    public static final PushEvaluation NONE = new PushEvaluation(Optional.empty(), List.of(), false, false,
            Optional.empty());

    public PushEvaluation {
        Objects.requireNonNull(matchedRule, "matchedRule");
        Objects.requireNonNull(sound, "sound");
        actions = List.copyOf(actions);
    }

    /** The outcome of a matched rule: {@code notify} and the {@code highlight} and {@code sound} tweaks. */
    static PushEvaluation of(PushRule rule) {
        boolean notify = false;
        boolean highlight = false;
        Optional<String> sound = Optional.empty();
        for (JsonNode action : rule.actions()) {
            if (action.isTextual() && action.asText().equals("notify")) {
                notify = true;
            } else if (action.isObject() && action.path("set_tweak").isTextual()) {
                String tweak = action.get("set_tweak").asText();
                JsonNode value = action.get("value");
                if (tweak.equals("highlight")) {
                    // A highlight tweak without a value means true.
                    highlight = value == null || (value.isBoolean() && value.asBoolean());
                } else if (tweak.equals("sound") && value != null && value.isTextual()) {
                    sound = Optional.of(value.asText());
                }
            }
        }
        return new PushEvaluation(Optional.of(rule), rule.actions(), notify, highlight, sound);
    }
}
