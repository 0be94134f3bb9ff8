package dev.hyphae.node.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.room.RoomVersions;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradePowerLevelsTest {
    private static ObjectNode levels(long usersDefault, long eventsDefault, long invite) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("users_default", usersDefault).put("events_default", eventsDefault).put("invite", invite);
        content.putObject("users").put("@alice:here", 100).put("@bob:here", 50);
        return content;
    }

    @Test
    void oldRoomEventsAndInvitesNeedTheGreaterOfFiftyAndOneAboveUsersDefault() {
        ObjectNode restricted = UpgradePowerLevels.restrictedOldRoom(levels(0, 0, 0)).orElseThrow();
        assertEquals(50, restricted.get("events_default").asLong());
        assertEquals(50, restricted.get("invite").asLong());

        ObjectNode high = UpgradePowerLevels.restrictedOldRoom(levels(60, 0, 70)).orElseThrow();
        assertEquals(61, high.get("events_default").asLong());
        assertEquals(70, high.get("invite").asLong(), "a higher level stays");
    }

    @Test
    void oldRoomAlreadyRestrictedNeedsNoNewPowerLevels() {
        assertTrue(UpgradePowerLevels.restrictedOldRoom(levels(0, 50, 100)).isEmpty());
    }

    @Test
    void versionTwelveRoomLeavesCreatorsOutOfUsers() {
        ObjectNode started = UpgradePowerLevels.forNewRoom(levels(0, 0, 0), RoomVersions.get("12"), "@alice:here",
                List.of("@bob:here"), 100, 50);
        assertFalse(started.get("users").has("@alice:here"));
        assertFalse(started.get("users").has("@bob:here"));
    }

    @Test
    void olderVersionRaisesTheUpgraderToTheLevelTheTransferNeeds() {
        ObjectNode started = UpgradePowerLevels.forNewRoom(levels(0, 0, 0), RoomVersions.get("11"), "@bob:here",
                List.of(), 50, 100);
        assertEquals(100, started.get("users").get("@bob:here").asLong());
        ObjectNode fromCreator = UpgradePowerLevels.forNewRoom(levels(0, 0, 0), RoomVersions.get("11"), "@carol:here",
                List.of(), UpgradePowerLevels.INFINITE, 50);
        assertEquals(100, fromCreator.get("users").get("@carol:here").asLong(), "a v12 creator becomes 100");
    }
}
