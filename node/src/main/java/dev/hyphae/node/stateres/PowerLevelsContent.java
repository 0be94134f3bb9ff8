package dev.hyphae.node.stateres;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of {@code m.room.power_levels} content that ordering needs: user levels and the users
 * default. Values may be strings in old room versions; unparsable values count as the default.
 */
final class PowerLevelsContent {
    private PowerLevelsContent() {
    }

    /** The power level of {@code userId} given power levels content. */
    static long userLevel(JsonNode content, String userId) {
        long usersDefault = level(content.get("users_default"), 0);
        JsonNode users = content.get("users");
        if (users != null && users.isObject() && users.has(userId)) {
            return level(users.get(userId), usersDefault);
        }
        return usersDefault;
    }

    static long level(JsonNode value, long fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
