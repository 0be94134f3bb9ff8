package dev.hyphae.node.roomserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.store.Membership;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomMembershipsTest {
    @TempDir
    Path directory;
    RoomServerFixture server;
    RoomMemberships rooms;

    @BeforeEach
    void open() {
        server = new RoomServerFixture(directory);
        rooms = server.memberships;
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static RoomServerException refused(Executable action) {
        RoomServerException refused = assertThrows(RoomServerException.class, action);
        assertEquals(RoomServerException.Kind.FORBIDDEN, refused.kind(), refused.getMessage());
        return refused;
    }

    private Optional<String> membership(String roomId, String userId) {
        return server.queries.membership(roomId, userId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "11", "12"})
    void inviteJoinLeaveBanUnbanFlow(String version) {
        String roomId = server.createRoom(version, RoomPreset.PRIVATE_CHAT);

        refused(() -> rooms.join(roomId, server.bob, null));
        assertEquals(Optional.empty(), membership(roomId, server.bob));

        rooms.invite(roomId, server.alice, server.bob, "come in", false);
        assertEquals(List.of(roomId), server.queries.invitedRooms(server.bob));
        rooms.join(roomId, server.bob, null);
        assertEquals(List.of(roomId), server.queries.joinedRooms(server.bob));
        assertEquals(List.of(), server.queries.invitedRooms(server.bob));
        server.message(roomId, server.bob, "hello");

        rooms.leave(roomId, server.bob, "bye");
        assertEquals(Optional.of("leave"), membership(roomId, server.bob));
        refused(() -> server.message(roomId, server.bob, "still here?"));
        refused(() -> rooms.join(roomId, server.bob, null));

        rooms.ban(roomId, server.alice, server.bob, "spam");
        assertEquals(Optional.of("ban"), membership(roomId, server.bob));
        refused(() -> rooms.invite(roomId, server.alice, server.bob, null, false));

        rooms.unban(roomId, server.alice, server.bob, null);
        assertEquals(Optional.of("leave"), membership(roomId, server.bob));
        rooms.invite(roomId, server.alice, server.bob, null, false);
        rooms.join(roomId, server.bob, null);
        assertEquals(Optional.of("join"), membership(roomId, server.bob));

        List<String> members = server.queries.members(roomId).stream()
                .map(m -> m.userId() + "=" + m.membership()).toList();
        assertTrue(members.contains(server.alice + "=join") && members.contains(server.bob + "=join"), members::toString);
    }

    @Test
    void anyoneMayJoinAPublicRoom() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        SentEvent joined = rooms.join(roomId, server.bob, null);
        assertEquals(Optional.of("join"), membership(roomId, server.bob));
        assertEquals(joined.eventId(), server.queries.members(roomId).stream()
                .filter(m -> m.userId().equals(server.bob)).map(Membership::eventId).findFirst().orElseThrow());
    }

    @Test
    void aBannedUserCannotJoinAPublicRoom() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        rooms.join(roomId, server.bob, null);
        rooms.ban(roomId, server.alice, server.bob, null);
        RoomServerException refusal = refused(() -> rooms.join(roomId, server.bob, null));
        assertTrue(refusal.getMessage().contains("ban"), refusal.getMessage());
    }

    @Test
    void onlyMembersWithTheKickLevelMayKick() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        rooms.join(roomId, server.bob, null);
        rooms.join(roomId, server.carol, null);
        refused(() -> rooms.kick(roomId, server.bob, server.carol, null));
        rooms.kick(roomId, server.alice, server.carol, "out");
        assertEquals(Optional.of("leave"), membership(roomId, server.carol));
        Pdu kick = server.queries.stateEvent(roomId, "m.room.member", server.carol).orElseThrow().pdu();
        assertEquals(server.alice, kick.sender());
        assertEquals("out", kick.contentField("reason").asText());
    }

    @Test
    void kickingSomeoneNotInTheRoomIsRefused() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        RoomServerException refusal = refused(() -> rooms.kick(roomId, server.alice, server.carol, null));
        assertTrue(refusal.getMessage().contains("not in the room"), refusal.getMessage());
    }

    @Test
    void unbanningSomeoneNotBannedIsRefused() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        rooms.join(roomId, server.bob, null);
        refused(() -> rooms.unban(roomId, server.alice, server.bob, null));
        assertEquals(Optional.of("join"), membership(roomId, server.bob));
    }

    @Test
    void onlyMembersWithTheBanLevelMayBan() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        rooms.join(roomId, server.bob, null);
        rooms.join(roomId, server.carol, null);
        refused(() -> rooms.ban(roomId, server.bob, server.carol, null));
        assertEquals(Optional.of("join"), membership(roomId, server.carol));
    }

    @Test
    void knockThenInviteThenJoin() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        ObjectNode knock = RoomServerFixture.JSON.objectNode().put("join_rule", "knock");
        server.sender.send(EventDraft.state(roomId, server.alice, "m.room.join_rules", "", knock));

        rooms.knock(roomId, server.bob, "please");
        assertEquals(Optional.of("knock"), membership(roomId, server.bob));
        refused(() -> rooms.join(roomId, server.bob, null));
        rooms.invite(roomId, server.alice, server.bob, null, false);
        rooms.join(roomId, server.bob, null);
        assertEquals(Optional.of("join"), membership(roomId, server.bob));
    }

    @Test
    void knockingOnAnInviteOnlyRoomIsRefused() {
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        refused(() -> rooms.knock(roomId, server.bob, null));
    }

    @Test
    void restrictedJoinIsAuthorisedByALocalMemberWhenTheUserIsInAnAllowedRoom() {
        String space = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        String roomId = server.createRoom("12", RoomPreset.PRIVATE_CHAT);
        ObjectNode restricted = RoomServerFixture.JSON.objectNode().put("join_rule", "restricted");
        restricted.putArray("allow").addObject().put("type", "m.room_membership").put("room_id", space);
        server.sender.send(EventDraft.state(roomId, server.alice, "m.room.join_rules", "", restricted));

        RoomServerException outsider = refused(() -> rooms.join(roomId, server.bob, null));
        assertTrue(outsider.getMessage().contains("allow"), outsider.getMessage());

        rooms.join(space, server.bob, null);
        SentEvent joined = rooms.join(roomId, server.bob, null);
        Pdu join = server.queries.event(joined.eventId()).orElseThrow().pdu();
        assertEquals(server.alice, join.contentField("join_authorised_via_users_server").asText());
        assertEquals(Optional.of("join"), membership(roomId, server.bob));
    }

    @Test
    void joiningAnUnknownRoomIsNotFound() {
        RoomServerException refusal = assertThrows(RoomServerException.class,
                () -> rooms.join("!elsewhere:example.org", server.bob, null));
        assertEquals(RoomServerException.Kind.NOT_FOUND, refusal.kind());
    }

    @Test
    void badUserIdsAreBadRequests() {
        String roomId = server.createRoom("12", RoomPreset.PUBLIC_CHAT);
        RoomServerException refusal = assertThrows(RoomServerException.class,
                () -> rooms.invite(roomId, server.alice, "bob", null, false));
        assertEquals(RoomServerException.Kind.BAD_REQUEST, refusal.kind());
    }
}
