package dev.hyphae.node.client;

import static dev.hyphae.node.client.RoomsTestNode.encode;
import static dev.hyphae.node.client.RoomsTestNode.room;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may redact what, checked before a local user's redaction is sent. */
class RedactionPermissionTest {
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
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void redactingAnotherUsersEventWithoutTheRedactLevelIsForbiddenAndChangesNothing() {
        String message = node.sendText(roomId, alice, "t1", "keep me");
        RoomsTestNode.Reply reply = node.put(room(roomId) + "/redact/" + encode(message) + "/r1", "{}", bob);
        assertEquals(403, reply.status());
        assertEquals("M_FORBIDDEN", reply.errcode());
        assertEquals("keep me", body(message));
    }

    @Test
    void sendingTheRedactionThroughSendIsCheckedTheSameWay() {
        String message = node.sendText(roomId, alice, "t1", "keep me");
        RoomsTestNode.Reply reply = node.put(room(roomId) + "/send/m.room.redaction/r1",
                "{\"redacts\": \"" + message + "\"}", bob);
        assertEquals("M_FORBIDDEN", reply.errcode());
        assertEquals("M_BAD_JSON", node.put(room(roomId) + "/send/m.room.redaction/r2", "{}", bob).errcode());
        assertEquals(200, node.put(room(roomId) + "/send/m.room.redaction/r3",
                "{\"redacts\": \"" + message + "\"}", alice).status());
        assertEquals("", body(message));
    }

    @Test
    void aUserMayRedactTheirOwnEventAndTheCreatorAnyonesEvent() {
        String bobs = node.sendText(roomId, bob, "t1", "mine");
        assertEquals(200, node.put(room(roomId) + "/redact/" + encode(bobs) + "/r1", "{}", bob).status());
        assertEquals("", body(bobs));
        String another = node.sendText(roomId, bob, "t2", "moderate me");
        assertEquals(200, node.put(room(roomId) + "/redact/" + encode(another) + "/r2", "{}", alice).status());
        assertEquals("", body(another));
    }

    @Test
    void redactingAnUnknownEventIsNotFound() {
        RoomsTestNode.Reply reply = node.put(room(roomId) + "/redact/" + encode("$nosuchevent") + "/r1", "{}", alice);
        assertEquals(404, reply.status());
        assertEquals("M_NOT_FOUND", reply.errcode());
    }

    private String body(String eventId) {
        return node.get(room(roomId) + "/event/" + encode(eventId), alice).body().path("content").path("body").asText();
    }
}
