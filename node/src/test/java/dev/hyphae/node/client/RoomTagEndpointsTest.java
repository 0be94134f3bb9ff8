package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Room tags, kept as the room account data m.tag and so seen in /sync. */
class RoomTagEndpointsTest {
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
        roomId = node.createRoom(alice, "{}");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String tags(String localpart) {
        return "/_matrix/client/v3/user/" + RoomsTestNode.encode(node.userId(localpart)) + "/rooms/"
                + RoomsTestNode.encode(roomId) + "/tags";
    }

    @Test
    void tagsAreAddedListedAndRemoved() {
        assertEquals(0, node.get(tags("alice"), alice).body().get("tags").size());
        assertEquals(200, node.put(tags("alice") + "/m.favourite", "{\"order\": 0.25}", alice).status());
        assertEquals(200, node.put(tags("alice") + "/u.work", "{}", alice).status());

        JsonNode listed = node.get(tags("alice"), alice).body().get("tags");
        assertEquals(0.25, listed.get("m.favourite").get("order").asDouble());
        assertTrue(listed.has("u.work"));

        assertEquals(200, node.send("DELETE", tags("alice") + "/m.favourite", null, alice).status());
        JsonNode after = node.get(tags("alice"), alice).body().get("tags");
        assertEquals(1, after.size());
        assertTrue(after.has("u.work"));
    }

    @Test
    void tagsReachSyncAsTheRoomsTagAccountData() {
        node.put(tags("alice") + "/m.lowpriority", "{\"order\": 0.5}", alice);

        JsonNode sync = node.get("/_matrix/client/v3/sync", alice).body();

        JsonNode tag = null;
        for (JsonNode event : sync.path("rooms").path("join").path(roomId).path("account_data").path("events")) {
            if (event.path("type").asText().equals("m.tag")) {
                tag = event;
            }
        }
        assertTrue(tag != null, sync.toString());
        assertEquals(0.5, tag.path("content").path("tags").path("m.lowpriority").path("order").asDouble());
    }

    @Test
    void tagsOfAnotherUserAreForbiddenAndBadTagsInvalid() {
        assertEquals("M_FORBIDDEN", node.get(tags("alice"), bob).errcode());
        assertEquals("M_FORBIDDEN", node.put(tags("alice") + "/u.x", "{}", bob).errcode());
        assertEquals("M_INVALID_PARAM", node.put(tags("alice") + "/" + "t".repeat(256), "{}", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.put(tags("alice") + "/u.x", "{\"order\": \"first\"}", alice).errcode());
    }
}
