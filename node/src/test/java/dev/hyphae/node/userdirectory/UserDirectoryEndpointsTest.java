package dev.hyphae.node.userdirectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryEndpointsTest {
    private static final String SEARCH = "/_matrix/client/v3/user_directory/search";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private JsonNode search(String token, String body) {
        RoomsTestNode.Reply reply = node.post(SEARCH, body, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private static List<String> userIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("results").forEach(user -> ids.add(user.path("user_id").asText()));
        return ids;
    }

    private void setDisplayName(String localpart, String token, String name) {
        RoomsTestNode.Reply set = node.put("/_matrix/client/v3/profile/" + RoomsTestNode.encode(node.userId(localpart))
                + "/displayname", "{\"displayname\": \"" + name + "\"}", token);
        assertEquals(200, set.status(), set.body().toString());
    }

    @Test
    void localUsersAreFoundByUserIdAndDisplayNameCaseInsensitively() {
        String bob = node.userWithToken("bob", "pw");
        setDisplayName("bob", bob, "Robert Smith");
        JsonNode byName = search(alice, "{\"search_term\": \"SMITH\"}");
        assertEquals(List.of(node.userId("bob")), userIds(byName));
        assertEquals("Robert Smith", byName.path("results").get(0).path("display_name").asText());
        assertEquals(List.of(node.userId("bob")), userIds(search(alice, "{\"search_term\": \"@bob\"}")));
        assertFalse(byName.path("limited").asBoolean());
    }

    @Test
    void theBestMatchComesFirstAndTheLimitSetsLimited() {
        node.userWithToken("anna", "pw");
        node.userWithToken("hannah", "pw");
        node.userWithToken("joanna", "pw");
        JsonNode all = search(alice, "{\"search_term\": \"ann\"}");
        assertEquals(node.userId("anna"), userIds(all).get(0));
        assertEquals(3, userIds(all).size());
        JsonNode limited = search(alice, "{\"search_term\": \"ann\", \"limit\": 2}");
        assertEquals(2, userIds(limited).size());
        assertTrue(limited.path("limited").asBoolean());
    }

    @Test
    void remoteUsersAreFoundOnlyWhenVisibleThroughARoom() {
        String privateRoom = node.createRoom(alice, "{\"preset\": \"private_chat\"}");
        String publicRoom = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        String carol = node.userWithToken("carol", "pw");
        String hiddenRoom = node.createRoom(carol, "{\"preset\": \"private_chat\"}");
        node.markRemoteMemberJoined(privateRoom, "@shared:remote.onion");
        node.markRemoteMemberJoined(publicRoom, "@public:remote.onion");
        node.markRemoteMemberJoined(hiddenRoom, "@hidden:remote.onion");
        List<String> found = userIds(search(alice, "{\"search_term\": \"remote.onion\"}"));
        assertTrue(found.contains("@shared:remote.onion"), found.toString());
        assertTrue(found.contains("@public:remote.onion"), found.toString());
        assertFalse(found.contains("@hidden:remote.onion"), found.toString());
    }

    @Test
    void deactivatedUsersAreNotFound() {
        node.userWithToken("dora", "pw");
        node.accounts.deactivate(dev.hyphae.node.identifier.UserId.parse(node.userId("dora")));
        assertEquals(List.of(), userIds(search(alice, "{\"search_term\": \"dora\"}")));
    }

    @Test
    void badRequestsAreRefused() {
        assertEquals("M_MISSING_PARAM", node.post(SEARCH, "{}", alice).errcode());
        assertEquals("M_BAD_JSON", node.post(SEARCH, "{\"search_term\": 3}", alice).errcode());
        assertEquals("M_BAD_JSON", node.post(SEARCH, "{\"search_term\": \"a\", \"limit\": \"ten\"}", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.post(SEARCH, "{\"search_term\": \"a\", \"limit\": -1}", alice).errcode());
        assertEquals("M_NOT_JSON", node.post(SEARCH, "not json", alice).errcode());
        assertEquals(401, node.post(SEARCH, "{\"search_term\": \"a\"}", null).status());
    }
}
