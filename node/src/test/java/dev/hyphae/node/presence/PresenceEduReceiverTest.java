package dev.hyphae.node.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresenceEduReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAROL = "@carol:remote.example";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private PresenceEduReceiver receiver;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        String alice = node.userWithToken("alice", "pw");
        String roomId = node.createRoom(alice, "{}");
        node.markRemoteMemberJoined(roomId, CAROL);
        receiver = new PresenceEduReceiver(node.presence, node.queries);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static JsonNode push(String update) throws Exception {
        return JSON.readTree("{\"push\": [" + update + "]}");
    }

    @Test
    void aRemoteRoomMatesPresenceIsBelieved() throws Exception {
        receiver.receive("remote.example", push("{\"user_id\": \"" + CAROL + "\", \"presence\": \"online\","
                + " \"status_msg\": \"here\", \"last_active_ago\": 5000, \"currently_active\": true}"));
        PresenceState state = node.presence.get(CAROL);
        assertEquals("online", state.presence());
        assertEquals(Optional.of("here"), state.statusMsg());
        assertEquals(node.ephemeralClock.millis() - 5000, state.lastActiveTs());
        assertEquals(List.of(), node.eduOutbox.sent("m.presence"));
    }

    @Test
    void aServerCannotSetThePresenceOfAnotherServersUsers() throws Exception {
        receiver.receive("evil.example", push("{\"user_id\": \"" + CAROL + "\", \"presence\": \"online\","
                + " \"last_active_ago\": 0}"));
        receiver.receive("remote.example", push("{\"user_id\": \"" + node.userId("alice") + "\","
                + " \"presence\": \"online\", \"last_active_ago\": 0}"));
        assertEquals("offline", node.presence.get(CAROL).presence());
        assertEquals("offline", node.presence.get(node.userId("alice")).presence());
    }

    @Test
    void updatesOfStrangersAndMalformedUpdatesAreDroppedWhileGoodOnesInTheSameEduCount() throws Exception {
        receiver.receive("remote.example", push(
                "{\"user_id\": \"@dave:remote.example\", \"presence\": \"online\", \"last_active_ago\": 0},"
                + "{\"user_id\": \"" + CAROL + "\", \"presence\": \"dancing\", \"last_active_ago\": 0},"
                + "{\"user_id\": \"" + CAROL + "\", \"presence\": \"online\", \"last_active_ago\": -4},"
                + "{\"user_id\": \"" + CAROL + "\", \"presence\": \"unavailable\", \"last_active_ago\": 10}"));
        receiver.receive("remote.example", JSON.readTree("{\"push\": 3}"));
        receiver.receive("remote.example", null);
        assertEquals("offline", node.presence.get("@dave:remote.example").presence());
        assertEquals("unavailable", node.presence.get(CAROL).presence());
    }
}
