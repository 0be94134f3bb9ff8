package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.RoomEvent;
import java.util.Map;

/**
 * Whether a user may send a state event type, from a room's current state ("Permissions"): the
 * user's level against the event's required level. Room version 12 creators may send anything.
 */
final class RoomPowers {
    private static final StateKey CREATE = StateKey.of("m.room.create", "");
    private static final StateKey POWER_LEVELS = StateKey.of("m.room.power_levels", "");

    private RoomPowers() {
    }

    static boolean maySendState(Map<StateKey, RoomEvent> state, RoomVersion version, String userId, String type) {
        RoomEvent create = state.get(CREATE);
        boolean creator = create != null && isCreator(create.pdu(), version, userId);
        if (creator && version.authRules().roomCreators()) {
            return true;
        }
        RoomEvent powerLevels = state.get(POWER_LEVELS);
        if (powerLevels == null) {
            // Without power levels the creator has 100, everyone else 0, and state needs 0.
            return true;
        }
        Pdu levels = powerLevels.pdu();
        long userLevel = level(levels.contentField("users").path(userId), level(levels.contentField("users_default"), 0));
        long required = level(levels.contentField("events").path(type), level(levels.contentField("state_default"), 50));
        return userLevel >= required;
    }

    private static boolean isCreator(Pdu create, RoomVersion version, String userId) {
        if (version.authRules().creatorIsSender() || version.authRules().roomCreators()) {
            if (create.sender().equals(userId)) {
                return true;
            }
        } else if (create.contentField("creator").asText("").equals(userId)) {
            return true;
        }
        if (version.authRules().roomCreators()) {
            for (JsonNode additional : create.contentField("additional_creators")) {
                if (additional.asText("").equals(userId)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A power level value: an integer, or (older rooms) a string of one; anything else is absent. */
    private static long level(JsonNode value, long absent) {
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return (long) value.asDouble();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
        return absent;
    }
}
