package dev.hyphae.node.typing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypingEduReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAROL = "@carol:remote.example";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String roomId;
    private TypingEduReceiver receiver;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        String alice = node.userWithToken("alice", "pw");
        roomId = node.createRoom(alice, "{}");
        node.markRemoteMemberJoined(roomId, CAROL);
        receiver = new TypingEduReceiver(node.typing, node.roomServers);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private JsonNode edu(String roomId, String userId, Object typing) throws Exception {
        return JSON.readTree("{\"room_id\": \"" + roomId + "\", \"user_id\": \"" + userId + "\", \"typing\": "
                + typing + "}");
    }

    @Test
    void aRemoteMembersTypingIsShownUntilTheRemoteTimeout() throws Exception {
        receiver.receive("remote.example", edu(roomId, CAROL, true));
        assertEquals(List.of(CAROL), node.typing.typingIn(roomId));
        node.ephemeralClock.advance(Duration.ofMillis(TypingService.REMOTE_TIMEOUT_MS + 1));
        node.typing.expireDue();
        assertEquals(List.of(), node.typing.typingIn(roomId));
        // Remote typing is never echoed back to federation.
        assertEquals(List.of(), node.eduOutbox.sent("m.typing"));
    }

    @Test
    void aServerCannotSpeakForAnotherServersUser() throws Exception {
        receiver.receive("evil.example", edu(roomId, CAROL, true));
        receiver.receive("remote.example", edu(roomId, node.userId("alice"), true));
        assertEquals(List.of(), node.typing.typingIn(roomId));
    }

    @Test
    void typingOfAUserWhoIsNotJoinedIsDropped() throws Exception {
        receiver.receive("remote.example", edu(roomId, "@dave:remote.example", true));
        receiver.receive("remote.example", edu("!other:remote.example", CAROL, true));
        assertEquals(List.of(), node.typing.typingIn(roomId));
    }

    @Test
    void malformedEdusAreDroppedWithoutThrowing() throws Exception {
        receiver.receive("remote.example", edu(roomId, CAROL, "\"yes\""));
        receiver.receive("remote.example", JSON.readTree("{\"room_id\": 5}"));
        receiver.receive("remote.example", JSON.readTree("[]"));
        receiver.receive("remote.example", null);
        assertEquals(List.of(), node.typing.typingIn(roomId));
    }
}
