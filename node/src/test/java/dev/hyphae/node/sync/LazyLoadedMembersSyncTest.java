package dev.hyphae.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lazy-loading of room members in /sync and /messages. */
class LazyLoadedMembersSyncTest {
    private static final String V3 = "/_matrix/client/v3";
    private static final String LAZY = "{\"room\": {\"state\": {\"lazy_load_members\": true}, \"timeline\": {\"limit\": 1}}}";
    private static final String LAZY_REDUNDANT = "{\"room\": {\"state\": {\"lazy_load_members\": true,"
            + " \"include_redundant_members\": true}, \"timeline\": {\"limit\": 1}}}";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String carol;
    private String dave;
    private String roomId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        carol = node.userWithToken("carol", "pw");
        dave = node.userWithToken("dave", "pw");
        roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        for (String token : new String[] {bob, carol, dave}) {
            assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", token).status());
        }
        node.sendText(roomId, alice, "a1", "hello from alice");
        node.sendText(roomId, bob, "b1", "hello from bob");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private JsonNode sync(String token, String filter, String since) {
        String path = V3 + "/sync?filter=" + RoomsTestNode.encode(filter)
                + (since == null ? "" : "&since=" + RoomsTestNode.encode(since));
        RoomsTestNode.Reply reply = node.get(path, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private Set<String> memberStateKeys(JsonNode sync) {
        Set<String> members = new TreeSet<>();
        sync.path("rooms").path("join").path(roomId).path("state").path("events").forEach(event -> {
            if (event.path("type").asText().equals("m.room.member")) {
                members.add(event.path("state_key").asText());
            }
        });
        return members;
    }

    @Test
    void anInitialSyncSendsOnlyTheMembersOfTheTimelinesSendersAndTheUser() {
        JsonNode lazy = sync(dave, LAZY, null);
        assertEquals(Set.of(node.userId("bob"), node.userId("dave")), memberStateKeys(lazy));
        JsonNode full = sync(dave, "{\"room\": {\"timeline\": {\"limit\": 1}}}", null);
        assertEquals(Set.of(node.userId("alice"), node.userId("bob"), node.userId("carol"), node.userId("dave")),
                memberStateKeys(full));
    }

    @Test
    void anIncrementalSyncDoesNotResendMembersTheDeviceWasSentButSendsNewSenders() {
        String since = sync(dave, LAZY, null).get("next_batch").asText();
        node.sendText(roomId, bob, "b2", "bob again");
        JsonNode again = sync(dave, LAZY, since);
        assertEquals(Set.of(), memberStateKeys(again));

        since = again.get("next_batch").asText();
        node.sendText(roomId, carol, "c1", "carol speaks");
        JsonNode carolSpoke = sync(dave, LAZY, since);
        assertEquals(Set.of(node.userId("carol")), memberStateKeys(carolSpoke));
    }

    @Test
    void includeRedundantMembersSendsThemAgain() {
        String since = sync(dave, LAZY, null).get("next_batch").asText();
        node.sendText(roomId, bob, "b2", "bob again");
        JsonNode again = sync(dave, LAZY_REDUNDANT, since);
        assertTrue(memberStateKeys(again).contains(node.userId("bob")));
    }

    @Test
    void eachDeviceIsRememberedOnItsOwn() {
        sync(dave, LAZY, null);
        RoomsTestNode.Reply login = node.post(V3 + "/login", """
                {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": "dave"}, "password": "pw"}""",
                null);
        String otherDevice = login.body().get("access_token").asText();
        String since = sync(otherDevice, "{\"room\": {\"timeline\": {\"limit\": 1}}}", null).get("next_batch").asText();
        node.sendText(roomId, bob, "b2", "bob again");
        assertTrue(memberStateKeys(sync(otherDevice, LAZY, since)).contains(node.userId("bob")));
    }

    @Test
    void messagesWithLazyLoadingCarryTheChunkSendersMembers() {
        String filter = RoomsTestNode.encode("{\"lazy_load_members\": true}");
        RoomsTestNode.Reply page = node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=2&filter=" + filter, dave);
        assertEquals(200, page.status(), page.body().toString());
        Set<String> members = new TreeSet<>();
        page.body().path("state").forEach(event -> {
            assertEquals("m.room.member", event.path("type").asText());
            members.add(event.path("state_key").asText());
        });
        assertEquals(Set.of(node.userId("alice"), node.userId("bob")), members);

        RoomsTestNode.Reply plain = node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=2", dave);
        assertFalse(plain.body().has("state"));
    }
}
