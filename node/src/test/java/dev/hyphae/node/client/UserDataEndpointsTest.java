package dev.hyphae.node.client;

import static dev.hyphae.node.client.RoomsTestNode.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataEndpointsTest {
    private static final String V3 = "/_matrix/client/v3";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String aliceId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        aliceId = encode(node.userId("alice"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aProfileFieldIsSetReadAndDeletedOnlyByItsOwner() {
        assertEquals(200, node.put(V3 + "/profile/" + aliceId + "/displayname", "{\"displayname\": \"Alice\"}",
                alice).status());
        assertEquals("Alice", node.get(V3 + "/profile/" + aliceId + "/displayname", bob).body()
                .get("displayname").asText());
        assertEquals("Alice", node.get(V3 + "/profile/" + aliceId, null).body().get("displayname").asText());
        assertEquals("M_FORBIDDEN", node.put(V3 + "/profile/" + aliceId + "/displayname",
                "{\"displayname\": \"Mallory\"}", bob).errcode());
        assertEquals(200, node.send("DELETE", V3 + "/profile/" + aliceId + "/displayname", null, alice).status());
        assertEquals("M_NOT_FOUND", node.get(V3 + "/profile/" + aliceId + "/displayname", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(V3 + "/profile/not-a-user", alice).errcode());
    }

    @Test
    void accountDataIsStoredPerUserAndPerRoom() {
        assertEquals(200, node.put(V3 + "/user/" + aliceId + "/account_data/org.example.a", "{\"x\": 1}", alice).status());
        assertEquals(1, node.get(V3 + "/user/" + aliceId + "/account_data/org.example.a", alice).body().get("x").asInt());
        assertEquals("M_FORBIDDEN", node.get(V3 + "/user/" + aliceId + "/account_data/org.example.a", bob).errcode());
        assertEquals("M_NOT_FOUND", node.get(V3 + "/user/" + aliceId + "/account_data/org.example.b", alice).errcode());
        String roomPath = V3 + "/user/" + aliceId + "/rooms/" + encode("!r:example.org") + "/account_data/org.example.c";
        assertEquals(200, node.put(roomPath, "{\"y\": 2}", alice).status());
        assertEquals(2, node.get(roomPath, alice).body().get("y").asInt());
        assertEquals(405, node.put(V3 + "/user/" + aliceId + "/account_data/m.push_rules", "{}", alice).status());
    }

    @Test
    void pushRulesAreListedAddedAndToggled() {
        JsonNode all = node.get(V3 + "/pushrules/", alice).body();
        assertTrue(all.path("global").path("override").size() > 0, all.toString());
        assertEquals(200, node.put(V3 + "/pushrules/global/room/" + encode("!r:example.org"),
                "{\"actions\": [\"notify\"]}", alice).status());
        JsonNode rule = node.get(V3 + "/pushrules/global/room/" + encode("!r:example.org"), alice).body();
        assertEquals("!r:example.org", rule.get("rule_id").asText());
        assertEquals(200, node.put(V3 + "/pushrules/global/room/" + encode("!r:example.org") + "/enabled",
                "{\"enabled\": false}", alice).status());
        assertFalse(node.get(V3 + "/pushrules/global/room/" + encode("!r:example.org") + "/enabled", alice).body()
                .get("enabled").asBoolean());
        assertEquals("M_NOT_FOUND", node.get(V3 + "/pushrules/global/room/nothing", alice).errcode());
        assertEquals(200, node.send("DELETE", V3 + "/pushrules/global/room/" + encode("!r:example.org"), null,
                alice).status());
        assertTrue(node.get(V3 + "/pushrules/global/", alice).body().has("override"));
    }

    @Test
    void aFilterIsUploadedAndReadBackByItsOwnerOnly() {
        RoomsTestNode.Reply created = node.post(V3 + "/user/" + aliceId + "/filter",
                "{\"room\": {\"timeline\": {\"limit\": 5}}}", alice);
        assertEquals(200, created.status(), created.body().toString());
        String filterId = created.body().get("filter_id").asText();
        JsonNode filter = node.get(V3 + "/user/" + aliceId + "/filter/" + filterId, alice).body();
        assertEquals(5, filter.path("room").path("timeline").path("limit").asInt());
        assertEquals("M_FORBIDDEN", node.get(V3 + "/user/" + aliceId + "/filter/" + filterId, bob).errcode());
        assertEquals("M_NOT_FOUND", node.get(V3 + "/user/" + aliceId + "/filter/424242", alice).errcode());
        assertEquals("M_BAD_JSON", node.post(V3 + "/user/" + aliceId + "/filter", "{\"room\": 5}", alice).errcode());
    }
}
