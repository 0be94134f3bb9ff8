package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomFixture.ALICE;
import static dev.hyphae.node.auth.RoomFixture.BOB;
import static dev.hyphae.node.auth.RoomFixture.CAROL;
import static dev.hyphae.node.auth.RoomFixture.MOD;
import static dev.hyphae.node.auth.RoomFixture.obj;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule "If type is m.room.member": join, invite, leave, ban, knock and unknown memberships. */
class MembershipRulesTest {

    static Stream<String> allVersions() {
        return RoomFixture.allVersions();
    }

    static Stream<String> versionsFrom7() {
        return RoomFixture.versionsFrom(7);
    }

    static Stream<String> versionsFrom8() {
        return RoomFixture.versionsFrom(8);
    }

    static Stream<String> versionsFrom10() {
        return RoomFixture.versionsFrom(10);
    }

    static Stream<String> versionsUpTo6() {
        return RoomFixture.versionsUpTo(6);
    }

    static Stream<String> versionsUpTo7() {
        return RoomFixture.versionsUpTo(7);
    }

    /** A join by the user, optionally authorised via a user, signed by the given servers. */
    private static Pdu restrictedJoin(RoomFixture room, String user, String authoriser, String... signers) {
        ObjectNode content = obj("membership", "join");
        if (authoriser != null) {
            content.put("join_authorised_via_users_server", authoriser);
        }
        ObjectNode signatures = obj();
        signatures.set(MatrixIds.domain(user), obj("ed25519:1", "sig"));
        for (String server : signers) {
            signatures.set(server, obj("ed25519:1", "sig"));
        }
        return room.raw(obj("type", "m.room.member", "state_key", user, "sender", user, "content", content,
                "prev_events", RoomFixture.arr(), "signatures", signatures));
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberIsRejectedWithoutAMembershipProperty(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("public");
        assertFalse(room.check(room.state("m.room.member", BOB, BOB, obj("displayname", "b"))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberIsRejectedWithoutAStateKey(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("public");
        assertFalse(room.check(room.message(BOB, "m.room.member")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinIsAllowedForTheCreatorWhenTheOnlyPreviousEventIsTheCreate(String version) {
        RoomFixture room = RoomFixture.bare(version);
        assertTrue(room.check(room.event("m.room.member", ALICE, ALICE, obj("membership", "join"), room.create))
                .allowed());
        // not right after the create event: the ordinary rules apply (no invite: rejected)
        assertFalse(room.check(room.member(ALICE, ALICE, "join")).allowed());
        // someone else right after the create event
        assertFalse(room.check(room.event("m.room.member", BOB, BOB, obj("membership", "join"), room.create))
                .allowed());
    }

    @Test
    void memberJoinRightAfterCreateIsForTheCreatorPropertyBeforeV11() {
        RoomFixture room = RoomFixture.withCreateContent("10", obj("creator", CAROL));
        assertTrue(room.check(room.event("m.room.member", CAROL, CAROL, obj("membership", "join"), room.create))
                .allowed());
        assertFalse(room.check(room.event("m.room.member", ALICE, ALICE, obj("membership", "join"), room.create))
                .allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"11", "12"})
    void memberJoinRightAfterCreateIsForTheCreateEventSenderFromV11(String version) {
        RoomFixture room = RoomFixture.withCreateContent(version, obj("creator", CAROL));
        assertTrue(room.check(room.event("m.room.member", ALICE, ALICE, obj("membership", "join"), room.create))
                .allowed());
        assertFalse(room.check(room.event("m.room.member", CAROL, CAROL, obj("membership", "join"), room.create))
                .allowed());
    }

    @Test
    void memberJoinRightAfterCreateIsNotAllowedForAdditionalCreatorsInV12() {
        RoomFixture room = RoomFixture.withCreateContent("12", obj("additional_creators", RoomFixture.arr(CAROL)));
        assertFalse(room.check(room.event("m.room.member", CAROL, CAROL, obj("membership", "join"), room.create))
                .allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinIsRejectedWhenTheSenderDoesNotMatchTheStateKey(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("public");
        assertFalse(room.check(room.member(ALICE, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinIsRejectedWhenTheSenderIsBanned(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("public").membership(BOB, "ban");
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinToAnInviteRoomIsAllowedOnlyWhenInvitedOrJoined(String version) {
        RoomFixture room = RoomFixture.room(version);
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
        room.membership(BOB, "invite");
        assertTrue(room.check(room.member(BOB, BOB, "join")).allowed());
        room.membership(BOB, "join");
        assertTrue(room.check(room.member(BOB, BOB, "join")).allowed());
        room.membership(BOB, "leave");
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinWithoutAJoinRulesEventIsReadAsAnInviteRoom(String version) {
        RoomFixture room = RoomFixture.room(version).remove("m.room.join_rules", "");
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
        room.membership(BOB, "invite");
        assertTrue(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinWithAJoinRulesEventWithoutJoinRuleIsReadAsAnInviteRoom(String version) {
        RoomFixture room = RoomFixture.room(version);
        room.add(room.state("m.room.join_rules", "", ALICE, obj()));
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
        room.membership(BOB, "invite");
        assertTrue(room.check(room.member(BOB, BOB, "join")).allowed());
        room.add(room.state("m.room.join_rules", "", ALICE, obj("join_rule", 1)));
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom7")
    void memberJoinToAKnockRoomIsAllowedOnlyWhenInvitedFromV7(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock");
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
        room.membership(BOB, "invite");
        assertTrue(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo6")
    void memberJoinToAKnockRoomIsRejectedBeforeV7(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock").membership(BOB, "invite");
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinToAPublicRoomIsAllowed(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("public");
        assertTrue(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberJoinIsRejectedForOtherJoinRules(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("private").membership(BOB, "invite");
        assertFalse(room.check(room.member(BOB, BOB, "join")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom8")
    void memberJoinToARestrictedRoomIsAllowedWhenInvitedOrJoined(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("restricted").membership(BOB, "invite");
        assertTrue(room.check(restrictedJoin(room, BOB, null)).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom8")
    void memberJoinToARestrictedRoomIsAllowedWhenAuthorisedByAJoinedUserWhoMayInvite(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("restricted").joined(MOD);
        assertTrue(room.check(restrictedJoin(room, BOB, MOD, "a.example")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom8")
    void memberJoinToARestrictedRoomIsRejectedWithoutAnAuthorisingUser(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("restricted");
        assertFalse(room.check(restrictedJoin(room, BOB, null)).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom8")
    void memberJoinToARestrictedRoomIsRejectedWhenTheAuthorisingUserIsNotJoined(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("restricted").membership(MOD, "leave");
        assertFalse(room.check(restrictedJoin(room, BOB, MOD, "a.example")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom8")
    void memberJoinToARestrictedRoomIsRejectedWhenTheAuthorisingUserMayNotInvite(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("restricted").joined(CAROL);
        ObjectNode users = room.version.authRules().roomCreators() ? obj() : obj(ALICE, 100);
        room.powerLevels(obj("users", users, "invite", 10));
        assertFalse(room.check(restrictedJoin(room, BOB, CAROL, "c.example")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom8")
    void memberIsRejectedWhenNotSignedByTheServerOfJoinAuthorisedViaUsersServer(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("restricted").joined(MOD);
        assertFalse(room.check(restrictedJoin(room, BOB, MOD)).allowed());
        // the signature rule holds whatever the join rule
        room.joinRule("public");
        assertFalse(room.check(restrictedJoin(room, BOB, MOD)).allowed());
        assertTrue(room.check(restrictedJoin(room, BOB, MOD, "a.example")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo7")
    void memberJoinToARestrictedRoomIsRejectedBeforeV8(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("restricted").joined(MOD);
        assertFalse(room.check(restrictedJoin(room, BOB, MOD, "a.example")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom10")
    void memberJoinToAKnockRestrictedRoomFollowsTheRestrictedRuleFromV10(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock_restricted").joined(MOD);
        assertTrue(room.check(restrictedJoin(room, BOB, MOD, "a.example")).allowed());
        assertFalse(room.check(restrictedJoin(room, BOB, null)).allowed());
        room.membership(BOB, "invite");
        assertTrue(room.check(restrictedJoin(room, BOB, null)).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "9"})
    void memberJoinToAKnockRestrictedRoomIsRejectedBeforeV10(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock_restricted").joined(MOD);
        assertFalse(room.check(restrictedJoin(room, BOB, MOD, "a.example")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberInviteIsRejectedWhenTheSenderIsNotJoined(String version) {
        RoomFixture room = RoomFixture.room(version).membership(MOD, "invite");
        assertFalse(room.check(room.member(MOD, BOB, "invite")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberInviteIsRejectedWhenTheTargetIsJoinedOrBanned(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        assertFalse(room.check(room.member(ALICE, BOB, "invite")).allowed());
        room.membership(BOB, "ban");
        assertFalse(room.check(room.member(ALICE, BOB, "invite")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberInviteIsAllowedOnlyAtTheInviteLevel(String version) {
        RoomFixture room = RoomFixture.room(version).joined(MOD, CAROL);
        assertTrue(room.check(room.member(CAROL, BOB, "invite")).allowed());
        ObjectNode users = room.version.authRules().roomCreators() ? obj(MOD, 50) : obj(ALICE, 100, MOD, 50);
        room.powerLevels(obj("users", users, "invite", 50));
        assertFalse(room.check(room.member(CAROL, BOB, "invite")).allowed());
        assertTrue(room.check(room.member(MOD, BOB, "invite")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberLeaveByTheUserIsAllowedOnlyFromInviteOrJoin(String version) {
        RoomFixture room = RoomFixture.room(version);
        assertFalse(room.check(room.member(BOB, BOB, "leave")).allowed());
        room.membership(BOB, "invite");
        assertTrue(room.check(room.member(BOB, BOB, "leave")).allowed());
        room.membership(BOB, "join");
        assertTrue(room.check(room.member(BOB, BOB, "leave")).allowed());
        room.membership(BOB, "ban");
        assertFalse(room.check(room.member(BOB, BOB, "leave")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom7")
    void memberLeaveByTheUserIsAllowedFromKnockFromV7(String version) {
        RoomFixture room = RoomFixture.room(version).membership(BOB, "knock");
        assertTrue(room.check(room.member(BOB, BOB, "leave")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo6")
    void memberLeaveByTheUserIsRejectedFromKnockBeforeV7(String version) {
        RoomFixture room = RoomFixture.room(version).membership(BOB, "knock");
        assertFalse(room.check(room.member(BOB, BOB, "leave")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberKickIsRejectedWhenTheSenderIsNotJoined(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB).membership(MOD, "leave");
        assertFalse(room.check(room.member(MOD, BOB, "leave")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberKickIsAllowedAtTheKickLevelAgainstALowerTarget(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB, MOD, CAROL);
        assertTrue(room.check(room.member(MOD, BOB, "leave")).allowed());
        // not against an equal level, not below the kick level
        ObjectNode users = room.version.authRules().roomCreators()
                ? obj(MOD, 50, BOB, 50) : obj(ALICE, 100, MOD, 50, BOB, 50);
        room.powerLevels(obj("users", users));
        assertFalse(room.check(room.member(MOD, BOB, "leave")).allowed());
        assertFalse(room.check(room.member(CAROL, BOB, "leave")).allowed());
        room.powerLevels(obj("users", users, "kick", 60));
        assertFalse(room.check(room.member(MOD, CAROL, "leave")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberUnbanIsRejectedBelowTheBanLevel(String version) {
        RoomFixture room = RoomFixture.room(version).joined(MOD).membership(BOB, "ban");
        ObjectNode users = room.version.authRules().roomCreators() ? obj(MOD, 50) : obj(ALICE, 100, MOD, 50);
        room.powerLevels(obj("users", users, "kick", 50, "ban", 60));
        assertFalse(room.check(room.member(MOD, BOB, "leave")).allowed());
        room.powerLevels(obj("users", users, "kick", 50, "ban", 50));
        assertTrue(room.check(room.member(MOD, BOB, "leave")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberBanIsRejectedWhenTheSenderIsNotJoined(String version) {
        RoomFixture room = RoomFixture.room(version).membership(MOD, "invite");
        assertFalse(room.check(room.member(MOD, BOB, "ban")).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberBanIsAllowedAtTheBanLevelAgainstALowerTargetOnly(String version) {
        RoomFixture room = RoomFixture.room(version).joined(MOD, CAROL);
        assertTrue(room.check(room.member(MOD, BOB, "ban")).allowed());
        assertTrue(room.check(room.member(ALICE, MOD, "ban")).allowed());
        assertFalse(room.check(room.member(MOD, ALICE, "ban")).allowed());
        assertFalse(room.check(room.member(CAROL, BOB, "ban")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom7")
    void memberKnockIsAllowedInAKnockRoomFromV7(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock");
        assertTrue(room.check(room.member(BOB, BOB, "knock")).allowed());
        room.membership(BOB, "leave");
        assertTrue(room.check(room.member(BOB, BOB, "knock")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo6")
    void memberKnockIsAnUnknownMembershipBeforeV7(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock");
        assertFalse(room.check(room.member(BOB, BOB, "knock")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom7")
    void memberKnockIsRejectedWhenTheJoinRuleIsNotKnock(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("public");
        assertFalse(room.check(room.member(BOB, BOB, "knock")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom10")
    void memberKnockIsAllowedInAKnockRestrictedRoomFromV10(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock_restricted");
        assertTrue(room.check(room.member(BOB, BOB, "knock")).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "8", "9"})
    void memberKnockIsRejectedInAKnockRestrictedRoomBeforeV10(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock_restricted");
        assertFalse(room.check(room.member(BOB, BOB, "knock")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom7")
    void memberKnockIsRejectedWhenTheSenderDoesNotMatchTheStateKey(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock");
        assertFalse(room.check(room.member(CAROL, BOB, "knock")).allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsFrom7")
    void memberKnockIsRejectedWhenTheSenderIsBannedInvitedOrJoined(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("knock");
        for (String membership : new String[] {"ban", "invite", "join"}) {
            room.membership(BOB, membership);
            assertFalse(room.check(room.member(BOB, BOB, "knock")).allowed(), membership);
        }
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void memberWithAnUnknownMembershipIsRejected(String version) {
        RoomFixture room = RoomFixture.room(version).joinRule("public");
        assertFalse(room.check(room.member(BOB, BOB, "dance")).allowed());
        assertFalse(room.check(room.state("m.room.member", BOB, BOB, obj("membership", 1))).allowed());
    }
}
