package dev.hyphae.node.stateres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.room.AuthRules;

/**
 * The parts of {@code m.room.power_levels} content that ordering needs: user levels and the users
 * default. Before room version 10, values may also be strings of a base 10 integer (with sign and
 * surrounding whitespace) or floats (truncated); a value that does not parse counts as the default.
 */
final class PowerLevelsContent {
    private PowerLevelsContent() {
    }

    /** The power level of {@code userId} given power levels content. */
    static long userLevel(JsonNode content, String userId, AuthRules rules) {
        long usersDefault = level(content.get("users_default"), 0, rules);
        JsonNode users = content.get("users");
        if (users != null && users.isObject() && users.has(userId)) {
            return level(users.get(userId), usersDefault, rules);
        }
        return usersDefault;
    }

    static long level(JsonNode value, long fallback, AuthRules rules) {
        if (value == null) {
            return fallback;
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? value.asLong() : fallback;
        }
        if (rules.integerPowerLevels()) {
            return fallback;
        }
        if (value.isFloatingPointNumber()) {
            double number = value.asDouble();
            return Double.isFinite(number) ? (long) number : fallback;
        }
        if (value.isTextual()) {
            String text = value.asText().strip();
            if (!text.matches("[+-]?[0-9]+")) {
                return fallback;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                return fallback;
            }
        }
        return fallback;
    }
}
