package dev.hyphae.node.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import java.util.Collection;
import java.util.Optional;

/**
 * The power level arithmetic of an upgrade, pure: a user's level in the old room as the auth rules
 * read it, the level the tombstone needs, the power levels the new room starts with, and the
 * restricted power levels of the old room.
 */
final class UpgradePowerLevels {
    /** Room version 12 creators: above every level. */
    static final long INFINITE = Long.MAX_VALUE;

    private UpgradePowerLevels() {
    }

    /** The creators of a room (v12: the create event's sender and {@code additional_creators}). */
    static boolean isCreator(Pdu create, String userId) {
        RoomVersion version = create.roomVersion();
        if (version.authRules().roomCreators()) {
            if (create.sender().equals(userId)) {
                return true;
            }
            for (JsonNode creator : create.contentField("additional_creators")) {
                if (userId.equals(creator.asText())) {
                    return true;
                }
            }
            return false;
        }
        String creator = version.authRules().creatorIsSender() ? create.sender()
                : create.contentField("creator").asText(create.sender());
        return creator.equals(userId);
    }

    /** The user's level: infinite for v12 creators, else from the power levels or their absence. */
    static long userLevel(Pdu create, Optional<Pdu> powerLevels, String userId) {
        if (create.roomVersion().authRules().roomCreators() && isCreator(create, userId)) {
            return INFINITE;
        }
        if (powerLevels.isEmpty()) {
            return isCreator(create, userId) ? 100 : 0;
        }
        JsonNode level = powerLevels.get().contentField("users").get(userId);
        return level != null ? level.asLong() : powerLevels.get().contentField("users_default").asLong(0);
    }

    /** The level to send a state event of {@code type}: its own entry, else {@code state_default}. */
    static long stateLevel(Optional<Pdu> powerLevels, String type) {
        if (powerLevels.isEmpty()) {
            return 0; // "0 if there is no m.room.power_levels event at all"
        }
        JsonNode level = powerLevels.get().contentField("events").get(type);
        return level != null ? level.asLong() : powerLevels.get().contentField("state_default").asLong(50);
    }

    /**
     * The new room's first power levels: the old room's, with the creators of a v12 room left out
     * of {@code users} (the rules refuse them there) or, below v12, the upgrader raised to
     * {@code neededLevel} so that it can send the transferred state.
     */
    static ObjectNode forNewRoom(ObjectNode oldContent, RoomVersion newVersion, String upgrader,
            Collection<String> additionalCreators, long upgraderLevel, long neededLevel) {
        ObjectNode content = oldContent.deepCopy();
        ObjectNode users = content.has("users") && content.get("users").isObject() ? (ObjectNode) content.get("users")
                : content.putObject("users");
        if (newVersion.authRules().roomCreators()) {
            users.remove(upgrader);
            users.remove(additionalCreators);
        } else {
            long finite = upgraderLevel == INFINITE ? Math.max(100, neededLevel) : upgraderLevel;
            users.put(upgrader, Math.max(finite, neededLevel));
        }
        return content;
    }

    /**
     * Step 6: the old room's power levels with {@code events_default} and {@code invite} raised to
     * the greater of 50 and {@code users_default + 1}; empty when they are that high already.
     */
    static Optional<ObjectNode> restrictedOldRoom(ObjectNode oldContent) {
        long restrict = Math.max(50, oldContent.path("users_default").asLong(0) + 1);
        long eventsDefault = oldContent.path("events_default").asLong(0);
        long invite = oldContent.path("invite").asLong(0);
        if (eventsDefault >= restrict && invite >= restrict) {
            return Optional.empty();
        }
        ObjectNode content = oldContent.deepCopy();
        content.put("events_default", Math.max(eventsDefault, restrict));
        content.put("invite", Math.max(invite, restrict));
        return Optional.of(content);
    }

    static ObjectNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }
}
