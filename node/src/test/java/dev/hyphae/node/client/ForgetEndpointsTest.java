package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forgetting rooms one has left. */
class ForgetEndpointsTest {
    private static final String SYNC_WITH_LEAVE = "/_matrix/client/v3/sync?filter="
            + RoomsTestNode.encode("{\"room\": {\"include_leave\": true}}");

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(roomId), "{}", bob);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RoomsTestNode.Reply forget(String token) {
        return node.post(RoomsTestNode.room(roomId) + "/forget", "{}", token);
    }

    private boolean leftRoomInSync(String token) {
        return node.get(SYNC_WITH_LEAVE, token).body().path("rooms").path("leave").has(roomId);
    }

    @Test
    void aForgottenRoomLeavesSyncUntilTheUserJoinsAgain() {
        node.post(RoomsTestNode.room(roomId) + "/leave", "{}", bob);
        assertTrue(leftRoomInSync(bob), "a left room is in sync with include_leave");

        assertEquals(200, forget(bob).status());

        assertFalse(leftRoomInSync(bob), "a forgotten room is not");
        node.post("/_matrix/client/v3/join/" + RoomsTestNode.encode(roomId), "{}", bob);
        assertTrue(node.get("/_matrix/client/v3/sync", bob).body().path("rooms").path("join").has(roomId),
                "joining again brings the room back");
    }

    @Test
    void aJoinedUserMustLeaveBeforeForgetting() {
        RoomsTestNode.Reply refused = forget(bob);
        assertEquals(400, refused.status());
        assertEquals("M_UNKNOWN", refused.errcode());
    }

    @Test
    void aRoomNeverJoinedCannotBeForgotten() {
        String carol = node.userWithToken("carol", "pw");
        assertEquals("M_NOT_FOUND", forget(carol).errcode());
    }
}
