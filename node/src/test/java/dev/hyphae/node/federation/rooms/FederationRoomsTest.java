package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.RoomServerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes, each with its own store and key, share a room: invite, join across servers, messages both ways. */
class FederationRoomsTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String alice;
    private String bob;

    @BeforeEach
    void startNodes() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        alice = a.user("alice");
        bob = b.user("bob");
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    @Test
    void remoteUserIsInvitedJoinsAndBothServersHoldTheSameEvents() {
        String roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));

        a.memberships.invite(roomId, alice, bob, null, false);
        assertEquals(Optional.of("invite"), a.queries.membership(roomId, bob));
        assertEquals(List.of(roomId), b.queries.invitedRooms(bob), "the invite reaches the invitee's server");
        String inviteId = b.queries.memberships(bob).get(0).eventId();
        assertTrue(b.notified.contains(inviteId), "the invitee's /sync is woken");
        assertTrue(a.event(inviteId).json().path("signatures").has(b.serverName), "the invitee's server signed it");
        List<String> strippedTypes = new ArrayList<>();
        b.event(inviteId).field("unsigned").path("invite_room_state")
                .forEach(stripped -> strippedTypes.add(stripped.path("type").asText()));
        assertTrue(strippedTypes.containsAll(List.of("m.room.create", "m.room.join_rules")), strippedTypes.toString());

        String joinId = b.memberships.join(roomId, bob, null, List.of()).eventId();
        assertEquals(Optional.of("join"), b.queries.membership(roomId, bob));
        assertEquals(Optional.of("join"), a.queries.membership(roomId, bob), "the resident server took the join");
        assertEquals(List.of(roomId), b.queries.joinedRooms(bob));
        assertEquals(a.state(roomId), b.state(roomId));

        String fromAlice = a.sendText(roomId, alice, "hello from A");
        assertAccepted(a.push(b, fromAlice), fromAlice);
        String fromBob = b.sendText(roomId, bob, "hello from B");
        assertAccepted(b.push(a, fromBob), fromBob);

        List<String> sinceJoin = List.of(joinId, fromAlice, fromBob);
        List<String> onA = a.timeline(roomId);
        assertEquals(sinceJoin, onA.subList(onA.indexOf(joinId), onA.size()));
        assertEquals(sinceJoin, b.timeline(roomId));
        assertEquals(a.state(roomId), b.state(roomId));
        assertEquals(a.extremities(roomId), b.extremities(roomId));
        assertEquals("hello from B", a.event(fromBob).contentField("body").asText());
    }

    @Test
    void roomCreatedWithARemoteInviteeSendsTheInviteToTheInviteesServer() {
        String roomId = a.creator.createRoom(new CreateRoomRequest(alice, null, null, null, null, null, null,
                List.of(bob), true, null, List.of(), null));

        assertEquals(Optional.of("invite"), a.queries.membership(roomId, bob));
        assertEquals(List.of(roomId), b.queries.invitedRooms(bob));
        b.memberships.join(roomId, bob, null, List.of());
        assertEquals(a.state(roomId), b.state(roomId));
    }

    @Test
    void invitedUserRejectsTheInviteThroughTheInvitingServer() {
        String roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));
        a.memberships.invite(roomId, alice, bob, null, false);

        b.memberships.leave(roomId, bob, "no thanks");

        assertEquals(Optional.of("leave"), b.queries.membership(roomId, bob));
        assertEquals(Optional.of("leave"), a.queries.membership(roomId, bob));
        assertFalse(b.memberships.participates(roomId));
    }

    @Test
    void inviteFromAServerThatIsNowUnreachableIsRejectedLocally() {
        String roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));
        a.memberships.invite(roomId, alice, bob, null, false);
        network.setReachable(a.serverName, false);

        b.memberships.leave(roomId, bob, null);

        assertEquals(Optional.of("leave"), b.queries.membership(roomId, bob));
        assertEquals(List.of(), b.queries.invitedRooms(bob));
        assertEquals(Optional.of("invite"), a.queries.membership(roomId, bob), "the inviting server never heard");
    }

    @Test
    void threeServersShareARoomAndEventsFromOneReachBothOthers() {
        try (FederatedTestNode c = new FederatedTestNode(dir.resolve("c"), 3, network)) {
            String carol = c.user("carol");
            String roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));
            a.memberships.invite(roomId, alice, bob, null, false);
            String bobJoin = b.memberships.join(roomId, bob, null, List.of()).eventId();
            a.memberships.invite(roomId, alice, carol, null, false);
            String carolInvite = a.queries.stateEvent(roomId, "m.room.member", carol).orElseThrow().eventId();
            // Standing in for the outgoing queue: A relays what B has not seen.
            assertAccepted(a.push(b, carolInvite), carolInvite);

            String carolJoin = c.memberships.join(roomId, carol, null, List.of(a.serverName)).eventId();
            assertAccepted(a.push(b, carolJoin), carolJoin);
            String fromBob = b.sendText(roomId, bob, "hello both");
            assertAccepted(b.push(a, fromBob), fromBob);
            assertAccepted(b.push(c, fromBob), fromBob);

            assertEquals(a.state(roomId), b.state(roomId));
            assertEquals(a.state(roomId), c.state(roomId));
            assertEquals(Set.of(fromBob), c.extremities(roomId));
            assertEquals(List.of(carolJoin, fromBob), c.timeline(roomId));
            assertTrue(b.timeline(roomId).containsAll(List.of(bobJoin, carolInvite, carolJoin, fromBob)));
        }
    }

    @Test
    void joiningARoomNoServerCanBeAskedAboutIsNotFound() {
        network.setReachable(a.serverName, false);
        String roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));

        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> b.memberships.join(roomId, bob, null, List.of(a.serverName)));

        assertEquals(RoomServerException.Kind.NOT_FOUND, refused.kind());
        assertFalse(b.queries.roomExists(roomId));
    }

    @Test
    void joiningAnInviteOnlyRoomWithoutAnInviteIsRefusedByTheResidentServer() {
        String roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));

        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> b.memberships.join(roomId, bob, null, List.of(a.serverName)));

        assertEquals(RoomServerException.Kind.FORBIDDEN, refused.kind());
        assertEquals(Optional.empty(), a.queries.membership(roomId, bob));
    }

    static void assertAccepted(JsonNode results, String eventId) {
        assertTrue(results.has(eventId), "answer names " + eventId + ": " + results);
        assertFalse(results.get(eventId).has("error"), results.toString());
    }
}
