package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.InitialStateEvent;
import dev.hyphae.node.roomserver.RoomServerException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user knocks on a room of another server ("Knocking upon a room"), then is let in. */
class FederatedKnockTest {
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

    private String roomWithJoinRule(String joinRule) {
        ObjectNode rules = JsonNodeFactory.instance.objectNode().put("join_rule", joinRule);
        return a.creator.createRoom(new CreateRoomRequest(alice, null, null, null, null, "Knock here", null, List.of(),
                false, null, List.of(new InitialStateEvent("m.room.join_rules", "", rules)), null));
    }

    @Test
    void knockReachesTheResidentServerAndIsKeptWithTheRoomsStrippedState() {
        String roomId = roomWithJoinRule("knock");

        String knockId = b.memberships.knock(roomId, bob, "let me in", List.of(a.serverName)).eventId();

        assertEquals(Optional.of("knock"), a.queries.membership(roomId, bob), "the resident server took the knock");
        assertEquals(Optional.of("knock"), b.queries.membership(roomId, bob));
        assertFalse(b.memberships.participates(roomId), "a knock does not make this node part of the room");
        Pdu knock = b.event(knockId);
        assertEquals("let me in", knock.contentField("reason").asText());
        Set<String> strippedTypes = new HashSet<>();
        for (JsonNode stripped : knock.field("unsigned").path("knock_room_state")) {
            strippedTypes.add(stripped.path("type").asText());
        }
        assertTrue(strippedTypes.containsAll(Set.of("m.room.create", "m.room.join_rules", "m.room.name")),
                strippedTypes.toString());
        assertTrue(b.notified.contains(knockId), "the knocking user's /sync is woken");
    }

    @Test
    void knockingUserIsInvitedAndJoins() {
        String roomId = roomWithJoinRule("knock");
        b.memberships.knock(roomId, bob, null, List.of(a.serverName));

        a.memberships.invite(roomId, alice, bob, null, false);
        b.memberships.join(roomId, bob, null, List.of(a.serverName));

        assertEquals(Optional.of("join"), a.queries.membership(roomId, bob));
        assertEquals(a.state(roomId), b.state(roomId));
    }

    @Test
    void knockOnARoomThatDoesNotAllowKnockingIsForbidden() {
        String roomId = roomWithJoinRule("invite");

        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> b.memberships.knock(roomId, bob, null, List.of(a.serverName)));

        assertEquals(RoomServerException.Kind.FORBIDDEN, refused.kind());
        assertEquals(Optional.empty(), a.queries.membership(roomId, bob));
        assertEquals(Optional.empty(), b.queries.membership(roomId, bob));
    }

    @Test
    void knockWithoutAServerToAskIsNotFound() {
        String roomId = roomWithJoinRule("knock");

        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> b.memberships.knock(roomId, bob, null, List.of()));

        assertEquals(RoomServerException.Kind.NOT_FOUND, refused.kind());
    }
}
