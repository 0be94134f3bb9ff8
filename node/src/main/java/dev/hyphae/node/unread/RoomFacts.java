package dev.hyphae.node.unread;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.push.RoomPushContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the push rules need to know about a room besides the event: its joined member count and
 * the power levels (senders' levels, notification levels); the user's display name is looked up
 * apart, per user.
 */
record RoomFacts(long memberCount, Map<String, Long> userLevels, long usersDefault, List<String> creators,
        Map<String, Long> notificationLevels) {

    /**
     * The facts from the room's create and power levels events ({@code null} when absent).
     *
     * @param createContent       the create event's content
     * @param createSender        the create event's sender
     * @param powerLevelsContent  the power levels event's content
     */
    static RoomFacts of(long memberCount, JsonNode createContent, String createSender, JsonNode powerLevelsContent) {
        List<String> creators = new ArrayList<>();
        if (createContent != null && !createContent.has("creator")) {
            // Room versions with creators (12): the create event's sender and additional creators
            // have unlimited power.
            creators.add(createSender);
            createContent.path("additional_creators").forEach(c -> creators.add(c.asText()));
        }
        Map<String, Long> userLevels = new HashMap<>();
        long usersDefault = 0;
        Map<String, Long> notificationLevels = Map.of();
        if (powerLevelsContent != null && powerLevelsContent.isObject()) {
            powerLevelsContent.path("users").fields().forEachRemaining(field -> level(field.getValue())
                    .ifPresent(level -> userLevels.put(field.getKey(), level)));
            usersDefault = level(powerLevelsContent.path("users_default")).orElse(0L);
            notificationLevels = RoomPushContext.notificationLevels((ObjectNode) powerLevelsContent);
        } else if (createContent != null) {
            // Without power levels the creator has 100 and everyone else 0.
            userLevels.put(createContent.path("creator").asText(createSender), 100L);
        }
        return new RoomFacts(memberCount, userLevels, usersDefault, creators, notificationLevels);
    }

    RoomPushContext context(String sender, Optional<String> userDisplayName) {
        long level = creators.contains(sender) ? Long.MAX_VALUE : userLevels.getOrDefault(sender, usersDefault);
        return new RoomPushContext(memberCount, userDisplayName, level, notificationLevels);
    }

    /** The display name in a member event's content, if it has a textual one. */
    static Optional<String> displayName(JsonNode memberContent) {
        JsonNode name = memberContent == null ? MissingNode.getInstance() : memberContent.path("displayname");
        return name.isTextual() ? Optional.of(name.asText()) : Optional.empty();
    }

    private static Optional<Long> level(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Optional.of(value.asLong());
        }
        if (value.isTextual() && value.asText().trim().matches("[+-]?[0-9]{1,15}")) {
            return Optional.of(Long.parseLong(value.asText().trim()));
        }
        return Optional.empty();
    }
}
