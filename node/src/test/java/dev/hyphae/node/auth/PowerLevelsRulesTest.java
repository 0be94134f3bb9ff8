package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomFixture.ALICE;
import static dev.hyphae.node.auth.RoomFixture.BOB;
import static dev.hyphae.node.auth.RoomFixture.CAROL;
import static dev.hyphae.node.auth.RoomFixture.MOD;
import static dev.hyphae.node.auth.RoomFixture.arr;
import static dev.hyphae.node.auth.RoomFixture.obj;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rule "If type is m.room.power_levels", with the value formats of each room version. */
class PowerLevelsRulesTest {

    static Stream<String> allVersions() {
        return RoomFixture.allVersions();
    }

    static Stream<String> versionsUpTo9() {
        return RoomFixture.versionsUpTo(9);
    }

    static Stream<String> versionsUpTo5() {
        return RoomFixture.versionsUpTo(5);
    }

    static Stream<String> versionsFrom6() {
        return RoomFixture.versionsFrom(6);
    }

    static Stream<String> versionsFrom10() {
        return RoomFixture.versionsFrom(10);
    }

    /** The room's users map (Alice at 100 before v12, Mod at 50) plus extra user, level pairs. */
    private static ObjectNode users(RoomFixture room, Object... extra) {
        ObjectNode users = room.version.authRules().roomCreators() ? obj(MOD, 50) : obj(ALICE, 100, MOD, 50);
        users.setAll(obj(extra));
        return users;
    }

    private static ObjectNode levels(RoomFixture room, ObjectNode users, Object... rest) {
        ObjectNode content = obj(rest);
        content.set("users", users);
        return content;
    }

    private static Pdu powerLevels(RoomFixture room, String sender, ObjectNode content) {
        return room.state("m.room.power_levels", "", sender, content);
    }

    /** Mod (50) is the sender of most changes; the room has Bob and Mod joined. */
    private static RoomFixture room(String version) {
        return RoomFixture.room(version).joined(MOD, BOB, CAROL);
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenUsersHasAKeyThatIsNotAUserId(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, "bob", 10)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenUsersIsNotAnObjectWithIntegerValues(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, "ten")))).allowed());
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, true)))).allowed());
        ObjectNode notAnObject = obj();
        notAnObject.set("users", arr(BOB));
        assertFalse(room.check(powerLevels(room, MOD, notAnObject)).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo9")
    void powerLevelsAcceptValuesAsStringsBeforeV10(String version) {
        RoomFixture room = room(version);
        ObjectNode content = levels(room, users(room, BOB, " +010 ", CAROL, "-0005"), "ban", "50");
        content.set("events", obj("m.room.name", "050"));
        assertTrue(room.check(powerLevels(room, MOD, content)).allowed());
        // string levels in the current state count as their integers
        room.powerLevels(levels(room, obj(ALICE, "100", MOD, "060"), "events", obj("m.room.name", " 55 ")));
        assertTrue(room.check(room.state("m.room.name", "", MOD, obj("name", "n"))).allowed());
        assertFalse(room.check(room.state("m.room.name", "", BOB, obj("name", "n"))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo9")
    void powerLevelsRejectStringsThatAreNotIntegersInUsersBeforeV10(String version) {
        RoomFixture room = room(version);
        for (String bad : new String[] {"1.5", "1e2", "+-1", "0x10", ""}) {
            assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, bad)))).allowed(), bad);
        }
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo9")
    void powerLevelsCompareStringValuesAsIntegersBeforeV10(String version) {
        RoomFixture room = room(version);
        room.powerLevels(levels(room, users(room), "ban", 70));
        // "70" is the same value as 70: no alteration of ban, which Mod could not make.
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room), "ban", "70"))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo9")
    void powerLevelsLeaveOutUnparseableLevelsBeforeV10(String version) {
        // No rule before v10 constrains these properties; the value counts as absent (its default).
        RoomFixture room = room(version);
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room), "kick", "fifty"))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom10")
    void powerLevelsAreRejectedWhenALevelPropertyIsNotAnIntegerFromV10(String version) {
        RoomFixture room = room(version);
        for (String key : PowerLevels.LEVEL_KEYS) {
            assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), key, "0"))).allowed(), key);
        }
    }

    @ParameterizedTest
    @MethodSource("versionsFrom10")
    void powerLevelsAreRejectedWhenEventsOrNotificationsAreNotObjectsOfIntegersFromV10(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "events", obj("m.x", "1"))))
                .allowed());
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "events", arr()))).allowed());
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "notifications", obj("room", "1"))))
                .allowed());
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "notifications", 5))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom10")
    void powerLevelsAreRejectedWhenUsersValuesAreStringsFromV10(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, "10")))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo5")
    void powerLevelsAcceptFloatsTruncatedInV1ToV5(String version) {
        RoomFixture room = room(version);
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, 10.7)))).allowed());
        room.powerLevels(levels(room, obj(ALICE, 100, MOD, 60.9), "events", obj("m.room.name", 60)));
        assertTrue(room.check(room.state("m.room.name", "", MOD, obj("name", "n"))).allowed());
        room.powerLevels(levels(room, obj(ALICE, 100, MOD, 59.9), "events", obj("m.room.name", 60)));
        assertFalse(room.check(room.state("m.room.name", "", MOD, obj("name", "n"))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom6")
    void powerLevelsRejectFloatUsersValuesFromV6(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, 10.5)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreAllowedWhenThereIsNoPreviousPowerLevelsEvent(String version) {
        RoomFixture room = room(version).remove("m.room.power_levels", "");
        // Without a power levels event Alice, the creator, has 100; values above that are allowed.
        ObjectNode content = levels(room, room.version.authRules().roomCreators() ? obj(BOB, 500) : obj(ALICE, 500),
                "ban", 1000);
        assertTrue(room.check(powerLevels(room, ALICE, content)).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenALevelPropertyWithACurrentValueAboveTheSenderIsAltered(String version) {
        RoomFixture room = room(version);
        room.powerLevels(levels(room, users(room), "ban", 60, "redact", 70));
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "ban", 40, "redact", 70))).allowed());
        // removed
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "ban", 60))).allowed());
        // unchanged: allowed
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room), "ban", 60, "redact", 70))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenALevelPropertyIsSetAboveTheSender(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "kick", 51))).allowed());
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "users_default", 51))).allowed());
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room), "kick", 50, "invite", 10)))
                .allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenAnEventsEntryAboveTheSenderIsChangedOrRemoved(String version) {
        RoomFixture room = room(version);
        room.powerLevels(levels(room, users(room), "events", obj("m.room.name", 70, "m.room.topic", 10)));
        assertFalse(room.check(powerLevels(room, MOD,
                levels(room, users(room), "events", obj("m.room.name", 40, "m.room.topic", 10)))).allowed());
        assertFalse(room.check(powerLevels(room, MOD,
                levels(room, users(room), "events", obj("m.room.topic", 10)))).allowed());
        assertTrue(room.check(powerLevels(room, MOD,
                levels(room, users(room), "events", obj("m.room.name", 70, "m.room.topic", 20)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenAnEventsEntryIsSetAboveTheSender(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "events", obj("m.room.topic", 51))))
                .allowed());
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room), "events", obj("m.room.topic", 50))))
                .allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom6")
    void powerLevelsCheckNotificationsEntriesFromV6(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "notifications", obj("room", 51))))
                .allowed());
        room.powerLevels(levels(room, users(room), "notifications", obj("room", 70)));
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room), "notifications", obj("room", 0))))
                .allowed());
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo5")
    void powerLevelsDoNotCheckNotificationsBeforeV6(String version) {
        RoomFixture room = room(version);
        room.powerLevels(levels(room, users(room), "notifications", obj("room", 70)));
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room), "notifications", obj("room", 90))))
                .allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenAnotherUsersEntryAtOrAboveTheSenderIsChangedOrRemoved(String version) {
        RoomFixture room = room(version);
        room.powerLevels(levels(room, users(room, CAROL, 50, BOB, 10)));
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, CAROL, 10, BOB, 10)))).allowed());
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, 10)))).allowed());
        // below the sender: may be changed and removed
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room, CAROL, 50, BOB, 20)))).allowed());
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room, CAROL, 50)))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAllowTheSenderToLowerTheirOwnEntry(String version) {
        RoomFixture room = room(version);
        ObjectNode lowered = users(room);
        lowered.put(MOD, 10);
        assertTrue(room.check(powerLevels(room, MOD, levels(room, lowered))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void powerLevelsAreRejectedWhenAUsersEntryIsSetAboveTheSender(String version) {
        RoomFixture room = room(version);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, 51)))).allowed());
        ObjectNode raised = users(room);
        raised.put(MOD, 51);
        assertFalse(room.check(powerLevels(room, MOD, levels(room, raised))).allowed());
        assertTrue(room.check(powerLevels(room, MOD, levels(room, users(room, BOB, 50)))).allowed());
    }

    @Test
    void powerLevelsAreRejectedWhenUsersListsARoomCreatorInV12() {
        RoomFixture room = RoomFixture.withCreateContent("12", obj("additional_creators", arr(CAROL)));
        room.joined(ALICE, CAROL, MOD);
        assertFalse(room.check(powerLevels(room, ALICE, levels(room, obj(ALICE, 100)))).allowed());
        assertFalse(room.check(powerLevels(room, ALICE, levels(room, obj(CAROL, 100)))).allowed());
        assertTrue(room.check(powerLevels(room, ALICE, levels(room, obj(MOD, 100)))).allowed());
    }

    @Test
    void roomCreatorsMaySetAnyLevelInV12() {
        RoomFixture room = RoomFixture.withCreateContent("12", obj("additional_creators", arr(CAROL)));
        room.joined(ALICE, CAROL, MOD);
        room.powerLevels(levels(room, obj(MOD, 100), "ban", 1000));
        ObjectNode content = levels(room, obj(MOD, 100), "ban", 1, "events", obj("m.room.name", 9007199254740991L));
        assertTrue(room.check(powerLevels(room, CAROL, content)).allowed());
        assertFalse(room.check(powerLevels(room, MOD, content)).allowed());
    }
}
