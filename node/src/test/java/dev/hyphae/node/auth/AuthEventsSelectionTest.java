package dev.hyphae.node.auth;

import static dev.hyphae.node.auth.RoomFixture.ALICE;
import static dev.hyphae.node.auth.RoomFixture.BOB;
import static dev.hyphae.node.auth.RoomFixture.MOD;
import static dev.hyphae.node.auth.RoomFixture.arr;
import static dev.hyphae.node.auth.RoomFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** "Auth events selection" and the rules "Considering the event's auth_events". */
class AuthEventsSelectionTest {
    private static final StateKey CREATE = StateKey.of("m.room.create", "");
    private static final StateKey POWER_LEVELS = StateKey.of("m.room.power_levels", "");
    private static final StateKey JOIN_RULES = StateKey.of("m.room.join_rules", "");

    static Stream<String> allVersions() {
        return RoomFixture.allVersions();
    }

    static Stream<String> versionsUpTo11() {
        return RoomFixture.versionsUpTo(11);
    }

    static Stream<String> versionsFrom8() {
        return RoomFixture.versionsFrom(8);
    }

    private static StateKey member(String user) {
        return StateKey.of("m.room.member", user);
    }

    /** The create key where the version selects it (v1–v11), then the given keys. */
    private static Set<StateKey> expected(RoomFixture room, StateKey... keys) {
        List<StateKey> all = new ArrayList<>();
        if (!room.version.authRules().roomCreators()) {
            all.add(CREATE);
        }
        all.addAll(List.of(keys));
        return Set.copyOf(all);
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsOfTheCreateEventAreEmpty(String version) {
        RoomFixture room = RoomFixture.bare(version);
        assertEquals(Set.of(), room.rules.authStateKeys(room.create));
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsAreCreatePowerLevelsAndTheSendersMember(String version) {
        RoomFixture room = RoomFixture.room(version);
        assertEquals(expected(room, POWER_LEVELS, member(BOB)), room.rules.authStateKeys(room.message(BOB, "m.x")));
    }

    @Test
    void authEventsDoNotIncludeTheCreateEventInV12() {
        RoomFixture room = RoomFixture.room("12");
        assertFalse(room.rules.authStateKeys(room.message(BOB, "m.x")).contains(CREATE));
        assertTrue(room.rules.authStateKeys(RoomFixture.room("11").message(BOB, "m.x")).contains(CREATE));
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsOfAJoinInviteOrKnockIncludeTheTargetAndTheJoinRules(String version) {
        RoomFixture room = RoomFixture.room(version);
        for (String membership : new String[] {"join", "invite", "knock"}) {
            assertEquals(expected(room, POWER_LEVELS, member(ALICE), member(BOB), JOIN_RULES),
                    room.rules.authStateKeys(room.member(ALICE, BOB, membership)), membership);
        }
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsOfALeaveOrBanIncludeTheTargetButNotTheJoinRules(String version) {
        RoomFixture room = RoomFixture.room(version);
        for (String membership : new String[] {"leave", "ban"}) {
            assertEquals(expected(room, POWER_LEVELS, member(ALICE), member(BOB)),
                    room.rules.authStateKeys(room.member(ALICE, BOB, membership)), membership);
        }
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsOfAThirdPartyInviteIncludeTheInviteEventOfTheToken(String version) {
        RoomFixture room = RoomFixture.room(version);
        ObjectNode content = obj("membership", "invite");
        content.set("third_party_invite", obj("display_name", "b", "signed", obj("mxid", BOB, "token", "tok")));
        assertEquals(expected(room, POWER_LEVELS, member(ALICE), member(BOB), JOIN_RULES,
                        StateKey.of("m.room.third_party_invite", "tok")),
                room.rules.authStateKeys(room.state("m.room.member", BOB, ALICE, content)));
    }

    @ParameterizedTest
    @MethodSource("versionsFrom8")
    void authEventsOfARestrictedJoinIncludeTheAuthorisingUsersMemberFromV8(String version) {
        RoomFixture room = RoomFixture.room(version);
        Pdu join = room.state("m.room.member", BOB, BOB,
                obj("membership", "join", "join_authorised_via_users_server", MOD));
        assertEquals(expected(room, POWER_LEVELS, member(BOB), JOIN_RULES, member(MOD)),
                room.rules.authStateKeys(join));
    }

    @Test
    void authEventsOfAJoinIgnoreJoinAuthorisedViaUsersServerBeforeV8() {
        RoomFixture room = RoomFixture.room("7");
        Pdu join = room.state("m.room.member", BOB, BOB,
                obj("membership", "join", "join_authorised_via_users_server", MOD));
        assertEquals(expected(room, POWER_LEVELS, member(BOB), JOIN_RULES), room.rules.authStateKeys(join));
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsSelectedFromTheStateAreAccepted(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        Pdu message = room.message(BOB, "m.x");
        List<Pdu> authEvents = room.stateEvents(room.rules.authStateKeys(message).toArray(StateKey[]::new));
        assertTrue(room.rules.checkAuthEvents(message, authEvents).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsAreRejectedWhenThereAreDuplicateEntriesForATypeAndStateKey(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        Pdu message = room.message(BOB, "m.x");
        List<Pdu> authEvents = new ArrayList<>(room.stateEvents(POWER_LEVELS, member(BOB)));
        authEvents.add(room.state("m.room.power_levels", "", ALICE, obj()));
        if (!room.version.authRules().roomCreators()) {
            authEvents.add(room.create);
        }
        assertFalse(room.rules.checkAuthEvents(message, authEvents).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsAreRejectedWhenAnEntryIsNotSelected(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        Pdu message = room.message(BOB, "m.x");
        List<Pdu> authEvents = new ArrayList<>(room.stateEvents(POWER_LEVELS, member(BOB), JOIN_RULES));
        if (!room.version.authRules().roomCreators()) {
            authEvents.add(room.create);
        }
        assertFalse(room.rules.checkAuthEvents(message, authEvents).allowed());
    }

    @Test
    void authEventsAreRejectedWhenTheyIncludeTheCreateEventInV12() {
        RoomFixture room = RoomFixture.room("12").joined(BOB);
        Pdu message = room.message(BOB, "m.x");
        assertFalse(room.rules.checkAuthEvents(message, room.stateEvents(CREATE, POWER_LEVELS, member(BOB)))
                .allowed());
    }

    @ParameterizedTest
    @MethodSource("versionsUpTo11")
    void authEventsAreRejectedWithoutACreateEvent(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        Pdu message = room.message(BOB, "m.x");
        assertFalse(room.rules.checkAuthEvents(message, room.stateEvents(POWER_LEVELS, member(BOB))).allowed());
    }

    @ParameterizedTest
    @MethodSource("allVersions")
    void authEventsAreRejectedWhenAnEntryIsFromAnotherRoom(String version) {
        RoomFixture room = RoomFixture.room(version).joined(BOB);
        Pdu message = room.message(BOB, "m.x");
        Pdu foreign = room.raw(obj("type", "m.room.power_levels", "state_key", "", "sender", ALICE,
                "room_id", "!elsewhere:a.example", "content", obj(), "prev_events", arr()));
        List<Pdu> authEvents = new ArrayList<>(room.stateEvents(member(BOB)));
        authEvents.add(foreign);
        if (!room.version.authRules().roomCreators()) {
            authEvents.add(room.create);
        }
        assertFalse(room.rules.checkAuthEvents(message, authEvents).allowed());
    }
}
