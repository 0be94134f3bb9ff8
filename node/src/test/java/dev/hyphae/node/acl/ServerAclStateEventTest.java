package dev.hyphae.node.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client sets a room's server ACL: a malformed content or one that shuts out this server is refused. */
class ServerAclStateEventTest {
    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String path;

    @BeforeEach
    void startNode() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        path = RoomsTestNode.room(node.createRoom(alice, "{}")) + "/state/m.room.server_acl/";
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void wellFormedAclThatKeepsThisServerIsSet() {
        RoomsTestNode.Reply reply = node.put(path, "{\"allow\": [\"*\"], \"deny\": [\"evil.example\"],"
                + " \"allow_ip_literals\": false}", alice);
        assertEquals(200, reply.status(), reply.body().toString());
    }

    @Test
    void aclOfTheWrongShapeIsBadJson() {
        RoomsTestNode.Reply reply = node.put(path, "{\"allow\": \"*\"}", alice);
        assertEquals(400, reply.status());
        assertEquals("M_BAD_JSON", reply.errcode());
    }

    @Test
    void aclThatDeniesThisServerIsForbidden() {
        RoomsTestNode.Reply reply = node.put(path, "{\"allow\": [\"*\"], \"deny\": [\"*.onion\"]}", alice);
        assertEquals(403, reply.status());
        assertEquals("M_FORBIDDEN", reply.errcode());
        assertEquals(404, node.get(path, alice).status(), "no ACL was stored");
    }
}
