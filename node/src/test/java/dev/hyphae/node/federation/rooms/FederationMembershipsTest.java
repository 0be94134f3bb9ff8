package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.roomserver.RoomServerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joining a room of another server whose send_join answer holds bad events. */
class FederationMembershipsTest {
    private static final int MEMBERS = 30;

    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String roomId;

    @BeforeEach
    void startNodes() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        roomId = BigRooms.build(a, RoomVersions.DEFAULT, MEMBERS);
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    @Test
    void joinOfABigRoomGivesTheJoiningServerTheWholeState() {
        b.memberships.join(roomId, b.user("bob"), null, List.of(a.serverName));

        assertEquals(a.state(roomId), b.state(roomId));
        assertEquals(MEMBERS + 1, b.state(roomId).keySet().stream().filter(key -> key.type().equals("m.room.member"))
                .count());
    }

    @Test
    void joinGoesOnWithoutAMemberEventWhoseSignatureIsBad() {
        String forgedMember = a.user("member7");
        String forgedId = a.state(roomId).get(StateKey.of("m.room.member", forgedMember));
        tamperWithSendJoinState(event -> forgedMember.equals(event.path("state_key").asText()));

        b.memberships.join(roomId, b.user("bob"), null, List.of(a.serverName));

        Map<StateKey, String> expected = new java.util.HashMap<>(a.state(roomId));
        expected.remove(StateKey.of("m.room.member", forgedMember));
        assertEquals(expected, b.state(roomId));
        assertTrue(b.store.read(tx -> tx.events().get(forgedId)).isEmpty(), "the forged event is not stored");
        assertEquals(Optional.of("join"), b.queries.membership(roomId, b.user("bob")));
    }

    @Test
    void joinIsRefusedWhenTheAnswersCreateEventHasABadSignature() {
        tamperWithSendJoinState(event -> "m.room.create".equals(event.path("type").asText()));

        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> b.memberships.join(roomId, b.user("bob"), null, List.of(a.serverName)));

        assertEquals(RoomServerException.Kind.FORBIDDEN, refused.kind());
        assertTrue(refused.getMessage().contains("create event"), refused.getMessage());
        assertFalse(b.queries.membership(roomId, b.user("bob")).filter("join"::equals).isPresent());
        assertTrue(b.queries.joinedRooms(b.user("bob")).isEmpty());
    }

    /** Has A's send_join answers carry the state events {@code which} selects with bad signatures. */
    private void tamperWithSendJoinState(Predicate<JsonNode> which) {
        network.rewriteAnswers((request, answer) -> {
            if (!request.uri().contains("/send_join/")) {
                return answer;
            }
            ObjectNode changed = answer.deepCopy();
            for (String part : List.of("auth_chain", "state")) {
                ArrayNode events = changed.withArray(part);
                for (int i = 0; i < events.size(); i++) {
                    if (which.test(events.get(i))) {
                        events.set(i, BigRooms.withBadSignature(events.get(i)));
                    }
                }
            }
            return changed;
        });
    }
}
