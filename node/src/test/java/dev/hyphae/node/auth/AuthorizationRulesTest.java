package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomFixture.ALICE;
import static dev.hyphae.node.auth.RoomFixture.BOB;
import static dev.hyphae.node.auth.RoomFixture.CAROL;
import static dev.hyphae.node.auth.RoomFixture.MOD;
import static dev.hyphae.node.auth.RoomFixture.arr;
import static dev.hyphae.node.auth.RoomFixture.obj;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The create rule, the rules every event passes, and the default rule ("Otherwise, allow"). */
class AuthorizationRulesTest {

    static java.util.stream.Stream<String> allVersions() {
        return RoomFixture.allVersions();
    }

    static java.util.stream.Stream<String> versionsUpTo11() {
        return RoomFixture.versionsUpTo(11);
    }

    static java.util.stream.Stream<String> versionsUpTo10() {
        return RoomFixture.versionsUpTo(10);
    }

    static java.util.stream.Stream<String> versionsUpTo5() {
        return RoomFixture.versionsUpTo(5);
    }

    static java.util.stream.Stream<String> versionsFrom6() {
        return RoomFixture.versionsFrom(6);
    }

    static java.util.stream.Stream<String> versionsFrom3() {
        return RoomFixture.versionsFrom(3);
    }

    private static ObjectNode createJson(RoomFixture room, ObjectNode content) {
        ObjectNode json = obj("type", "m.room.create", "state_key", "", "sender", ALICE, "content", content,
                "prev_events", arr());
        if (!room.version.roomIdFromCreateEvent()) {
            json.put("room_id", "!new:a.example");
        }
        return json;
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void createIsAllowedWhenWellFormed(String version) {
        RoomFixture room = RoomFixture.bare(version);
        assertTrue(room.check(room.create).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void createIsRejectedWhenItHasAnyPrevEvents(String version) {
        RoomFixture room = RoomFixture.bare(version);
        ObjectNode json = createJson(room, RoomFixture.defaultCreateContent(version));
        json.set("prev_events", room.version.eventFormat() == dev.hyphae.node.room.EventFormat.V1
                ? arr(arr("$x:a.example", obj("sha256", "x"))) : arr("$x"));
        assertFalse(room.rules.authorize(new Pdu("$c:a.example", json, room.version), Map.of()).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void createRuleAppliesToEveryEventOfTypeCreate(String version) {
        RoomFixture room = RoomFixture.room(version);
        // a later m.room.create with another state key has prev_events: rejected by the create rule
        assertFalse(room.check(room.state("m.room.create", "again", ALICE, RoomFixture.defaultCreateContent(version)))
                .allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo11")
    void createIsRejectedWhenTheRoomIdDomainDoesNotMatchTheSenderDomain(String version) {
        RoomFixture room = RoomFixture.bare(version);
        ObjectNode json = createJson(room, RoomFixture.defaultCreateContent(version));
        json.put("room_id", "!new:b.example");
        assertFalse(room.rules.authorize(new Pdu("$c:a.example", json, room.version), Map.of()).allowed());
    }

    @Test
    void createIsRejectedWhenItHasARoomIdInV12() {
        RoomFixture room = RoomFixture.bare("12");
        ObjectNode json = createJson(room, RoomFixture.defaultCreateContent("12"));
        json.put("room_id", "!c");
        assertFalse(room.rules.authorize(new Pdu("$c", json, room.version), Map.of()).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void createIsRejectedWhenRoomVersionIsNotRecognised(String version) {
        RoomFixture room = RoomFixture.bare(version);
        ObjectNode content = RoomFixture.defaultCreateContent(version).put("room_version", "99");
        Pdu create = new Pdu("$c:a.example", createJson(room, content), room.version);
        assertFalse(room.rules.authorize(create, Map.of()).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo10")
    void createIsRejectedWhenContentHasNoCreatorBeforeV11(String version) {
        RoomFixture room = RoomFixture.bare(version);
        Pdu create = new Pdu("$c:a.example", createJson(room, obj("room_version", version)), room.version);
        assertFalse(room.rules.authorize(create, Map.of()).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"11", "12"})
    void createIsAllowedWithoutCreatorFromV11(String version) {
        RoomFixture room = RoomFixture.bare(version);
        Pdu create = new Pdu("$c:a.example", createJson(room, obj("room_version", version)), room.version);
        assertTrue(room.rules.authorize(create, Map.of()).allowed());
    }

    @Test
    void createIsRejectedWhenAdditionalCreatorsIsNotAnArrayOfUserIdsInV12() {
        RoomFixture room = RoomFixture.bare("12");
        for (ObjectNode content : new ObjectNode[] {
                obj("additional_creators", "@bob:b.example"),
                obj("additional_creators", arr("@bob:b.example", 5)),
                obj("additional_creators", arr("bob")),
                obj("additional_creators", arr("@bob:")),
        }) {
            Pdu create = new Pdu("$c", createJson(room, content), room.version);
            assertFalse(room.rules.authorize(create, Map.of()).allowed(), content.toString());
        }
        Pdu valid = new Pdu("$c", createJson(room, obj("additional_creators", arr(BOB, CAROL))), room.version);
        assertTrue(room.rules.authorize(valid, Map.of()).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void eventIsRejectedWhenThereIsNoCreateEvent(String version) {
        RoomFixture room = RoomFixture.room(version);
        Pdu message = room.message(ALICE, "m.room.message");
        assertTrue(room.check(message).allowed());
        room.remove("m.room.create", "");
        assertFalse(room.check(message).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo11")
    void eventIsRejectedWhenTheCreateEventIsFromAnotherRoom(String version) {
        RoomFixture room = RoomFixture.room(version);
        Pdu message = room.raw(obj("type", "m.room.message", "sender", ALICE, "room_id", "!other:a.example",
                "content", obj("body", "hi"), "prev_events", arr()));
        assertFalse(room.check(message).allowed());
    }

    @Test
    void eventIsRejectedWhenItsRoomIdIsNotTheCreateEventIdInV12() {
        RoomFixture room = RoomFixture.room("12");
        Pdu message = room.raw(obj("type", "m.room.message", "sender", ALICE, "room_id", "!other",
                "content", obj("body", "hi"), "prev_events", arr()));
        assertFalse(room.check(message).allowed());
        assertTrue(room.check(room.message(ALICE, "m.room.message")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void eventIsRejectedWhenTheRoomIsNotFederatedAndTheSenderIsFromAnotherServer(String version) {
        RoomFixture room = RoomFixture.withCreateContent(version,
                RoomFixture.defaultCreateContent(version).put("m.federate", false));
        room.add(room.event("m.room.member", ALICE, ALICE, obj("membership", "join"), room.create));
        room.joined(BOB, MOD);
        assertFalse(room.check(room.message(BOB, "m.room.message")).allowed());
        assertTrue(room.check(room.message(MOD, "m.room.message")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void eventIsRejectedWhenTheSenderIsNotJoined(String version) {
        RoomFixture room = RoomFixture.room(version);
        assertFalse(room.check(room.message(BOB, "m.room.message")).allowed());
        room.membership(BOB, "invite");
        assertFalse(room.check(room.message(BOB, "m.room.message")).allowed());
        room.joined(BOB);
        assertTrue(room.check(room.message(BOB, "m.room.message")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void thirdPartyInviteEventIsAllowedIfAndOnlyIfTheSenderHasTheInviteLevel(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB, MOD);
        room.powerLevels(obj("users", room.version.authRules().roomCreators() ? obj(MOD, 50) : obj(ALICE, 100, MOD, 50),
                "invite", 50));
        assertFalse(room.check(room.state("m.room.third_party_invite", "tok", BOB, obj())).allowed());
        assertTrue(room.check(room.state("m.room.third_party_invite", "tok", MOD, obj())).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void eventIsRejectedWhenTheRequiredPowerLevelIsAboveTheSenders(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB, MOD);
        // state_default defaults to 50, events_default to 0
        assertFalse(room.check(room.state("m.room.topic", "", BOB, obj("topic", "x"))).allowed());
        assertTrue(room.check(room.state("m.room.topic", "", MOD, obj("topic", "x"))).allowed());
        assertTrue(room.check(room.message(BOB, "m.room.message")).allowed());
        // an explicit events entry wins over the defaults
        ObjectNode users = room.version.authRules().roomCreators() ? obj(MOD, 50) : obj(ALICE, 100, MOD, 50);
        room.powerLevels(obj("users", users, "events", obj("m.room.message", 60, "m.room.topic", 0)));
        assertFalse(room.check(room.message(MOD, "m.room.message")).allowed());
        assertTrue(room.check(room.state("m.room.topic", "", BOB, obj("topic", "x"))).allowed());
        // events_default for other message types
        room.powerLevels(obj("users", users, "events_default", 10));
        assertFalse(room.check(room.message(BOB, "m.reaction")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void withoutPowerLevelsTheCreatorHasLevel100AndOthers0(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB).remove("m.room.power_levels", "");
        assertTrue(room.check(room.state("m.room.name", "", ALICE, obj("name", "n"))).allowed());
        assertFalse(room.check(room.state("m.room.name", "", BOB, obj("name", "n"))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void eventIsRejectedWhenAStateKeyStartingWithAtDoesNotMatchTheSender(String version) {
        RoomFixture room = RoomFixture.room(version).joined(MOD);
        assertFalse(room.check(room.state("m.custom", ALICE, MOD, obj())).allowed());
        assertTrue(room.check(room.state("m.custom", MOD, MOD, obj())).allowed());
        assertTrue(room.check(room.state("m.custom", "not-a-user", MOD, obj())).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void otherEventsAreAllowedOtherwise(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        assertTrue(room.check(room.message(BOB, "org.example.custom")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo5")
    void aliasesAreAllowedWhenTheStateKeyIsTheSendersDomainInV1ToV5(String version) {
        RoomFixture room = RoomFixture.room(version);
        // Bob is not even joined: the aliases rule comes before the membership rule.
        assertTrue(room.check(room.state("m.room.aliases", "b.example", BOB, obj("aliases", arr()))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo5")
    void aliasesAreRejectedWhenTheStateKeyIsNotTheSendersDomainInV1ToV5(String version) {
        RoomFixture room = RoomFixture.room(version);
        assertFalse(room.check(room.state("m.room.aliases", "a.example", BOB, obj("aliases", arr()))).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo5")
    void aliasesAreRejectedWithoutAStateKeyInV1ToV5(String version) {
        RoomFixture room = RoomFixture.room(version);
        assertFalse(room.check(room.message(BOB, "m.room.aliases")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom6")
    void aliasesFollowTheRulesOfOtherStateEventsFromV6(String version) {
        RoomFixture room = RoomFixture.room(version);
        assertFalse(room.check(room.state("m.room.aliases", "b.example", BOB, obj("aliases", arr()))).allowed());
        room.joined(MOD);
        assertTrue(room.check(room.state("m.room.aliases", "b.example", MOD, obj("aliases", arr()))).allowed());
    }

    private static Pdu redaction(RoomFixture room, String sender, String redacts) {
        return room.raw(obj("type", "m.room.redaction", "sender", sender, "redacts", redacts,
                "content", obj(), "prev_events", arr()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void redactionIsAllowedAtTheRedactLevelInV1AndV2(String version) {
        RoomFixture room = RoomFixture.room(version).joined(MOD);
        assertTrue(room.check(redaction(room, MOD, "$other:b.example")).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void redactionIsAllowedWhenTheRedactedEventIdHasTheRedactionsDomainInV1AndV2(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        assertTrue(room.check(redaction(room, BOB, "$own:b.example")).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void redactionIsRejectedOtherwiseInV1AndV2(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        assertFalse(room.check(redaction(room, BOB, "$theirs:a.example")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom3")
    void redactionIgnoresTheRedactLevelFromV3(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        Pdu redaction = room.version.redactsInContent()
                ? room.event("m.room.redaction", null, BOB, obj("redacts", "$theirs:a.example"), null)
                : redaction(room, BOB, "$theirs:a.example");
        assertTrue(room.check(redaction).allowed());
        ObjectNode users = room.version.authRules().roomCreators() ? obj() : obj(ALICE, 100);
        room.powerLevels(obj("users", users, "events", obj("m.room.redaction", 10)));
        assertFalse(room.check(redaction).allowed());
    }

    @Test
    void creatorIsTheCreatorPropertyBeforeV11() {
        RoomFixture room = RoomFixture.withCreateContent("10", obj("creator", CAROL));
        // Carol, not the sender Alice, has level 100 without a power levels event.
        room.joined(ALICE, CAROL);
        assertTrue(room.check(room.state("m.room.name", "", CAROL, obj("name", "n"))).allowed());
        assertFalse(room.check(room.state("m.room.name", "", ALICE, obj("name", "n"))).allowed());
    }

    @Test
    void creatorIsTheCreateEventSenderFromV11() {
        ObjectNode content = obj("creator", CAROL);
        RoomFixture room = RoomFixture.withCreateContent("11", content);
        room.joined(ALICE, CAROL);
        assertTrue(room.check(room.state("m.room.name", "", ALICE, obj("name", "n"))).allowed());
        assertFalse(room.check(room.state("m.room.name", "", CAROL, obj("name", "n"))).allowed());
    }

    @Test
    void roomCreatorsHaveInfinitePowerInV12() {
        RoomFixture room = RoomFixture.withCreateContent("12", obj("additional_creators", arr(CAROL)));
        room.joined(ALICE, CAROL, BOB);
        room.powerLevels(obj("users", obj(BOB, 100), "events", obj("m.room.name", 1000000)));
        assertTrue(room.check(room.state("m.room.name", "", ALICE, obj("name", "n"))).allowed());
        assertTrue(room.check(room.state("m.room.name", "", CAROL, obj("name", "n"))).allowed());
        assertFalse(room.check(room.state("m.room.name", "", BOB, obj("name", "n"))).allowed());
        // a creator may kick a user at 100; a user at 100 may not kick a creator
        assertTrue(room.check(room.member(CAROL, BOB, "leave")).allowed());
        assertFalse(room.check(room.member(BOB, CAROL, "ban")).allowed());
    }

    @Test
    void authorizeRejectsNullArgumentsWithAClearException() {
        RoomFixture room = RoomFixture.room("12");
        assertThrows(NullPointerException.class, () -> room.rules.authorize(null, room.state));
        assertThrows(NullPointerException.class, () -> room.rules.authorize(room.create, null));
    }
}
