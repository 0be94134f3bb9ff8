package dev.hyphae.node.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What push rule conditions need to know about the room an event is in, taken from the room state
 * at the event by the room pipeline.
 *
 * @param memberCount             the number of joined members
 * @param userDisplayName         the user's display name in the room, for {@code contains_display_name}
 * @param senderPowerLevel        the power level of the event's sender
 * @param notificationPowerLevels the {@code notifications} levels of the power levels event
 */
public record RoomPushContext(long memberCount, Optional<String> userDisplayName, long senderPowerLevel,
                              Map<String, Long> notificationPowerLevels) {
    /** The level the spec gives {@code notifications.room} when the power levels leave it out. */
    public static final long DEFAULT_ROOM_NOTIFICATION_LEVEL = 50;

    public RoomPushContext {
        Objects.requireNonNull(userDisplayName, "userDisplayName");
        notificationPowerLevels = Map.copyOf(notificationPowerLevels);
    }

    /**
     * The level a sender needs for the notification type {@code key}; keys the power levels do not
     * name need {@value #DEFAULT_ROOM_NOTIFICATION_LEVEL}, as {@code room} does by default.
     */
    public long requiredLevel(String key) {
        return notificationPowerLevels.getOrDefault(key, DEFAULT_ROOM_NOTIFICATION_LEVEL);
    }

    /**
     * Reads the {@code notifications} object of power levels content (or none when the room has no
     * power levels event); integer and integer-string levels count, anything else is ignored.
     */
    public static Map<String, Long> notificationLevels(ObjectNode powerLevelsContent) {
        Map<String, Long> levels = new HashMap<>();
        if (powerLevelsContent == null) {
            return levels;
        }
        JsonNode notifications = powerLevelsContent.get("notifications");
        if (notifications instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isIntegralNumber()) {
                    levels.put(field.getKey(), value.asLong());
                } else if (value.isTextual() && value.asText().matches("[+-]?[0-9]{1,15}")) {
                    levels.put(field.getKey(), Long.parseLong(value.asText()));
                }
            });
        }
        return levels;
    }
}
