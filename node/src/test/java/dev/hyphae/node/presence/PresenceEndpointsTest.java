package dev.hyphae.node.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RecordingEduOutbox;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresenceEndpointsTest {
    private static final String V3 = "/_matrix/client/v3";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String aliceId;
    private String bobId;
    private String roomId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        aliceId = node.userId("alice");
        bobId = node.userId("bob");
        roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String status(String userId) {
        return V3 + "/presence/" + RoomsTestNode.encode(userId) + "/status";
    }

    private JsonNode sync(String token, String query) {
        RoomsTestNode.Reply reply = node.get(V3 + "/sync" + query, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    /** The presence content per user in a sync response's presence section. */
    private static Map<String, JsonNode> presenceIn(JsonNode sync) {
        Map<String, JsonNode> byUser = new HashMap<>();
        for (JsonNode event : sync.path("presence").path("events")) {
            assertEquals("m.presence", event.path("type").asText());
            byUser.put(event.path("sender").asText(), event.path("content"));
        }
        return byUser;
    }

    @Test
    void aUserSetsTheirPresenceAndARoomMateReadsIt() {
        RoomsTestNode.Reply put = node.put(status(bobId), "{\"presence\": \"unavailable\", \"status_msg\": \"lunch\"}", bob);
        assertEquals(200, put.status(), put.body().toString());
        node.ephemeralClock.advance(Duration.ofSeconds(42));
        JsonNode seen = node.get(status(bobId), alice).body();
        assertEquals("unavailable", seen.path("presence").asText());
        assertEquals("lunch", seen.path("status_msg").asText());
        assertEquals(42_000, seen.path("last_active_ago").asLong());
        assertFalse(seen.path("currently_active").asBoolean());
        JsonNode own = node.get(status(bobId), bob).body();
        assertEquals("unavailable", own.path("presence").asText());
    }

    @Test
    void aUserNeverSeenIsOffline() {
        JsonNode seen = node.get(status(bobId), alice).body();
        assertEquals("offline", seen.path("presence").asText());
        assertFalse(seen.has("last_active_ago"));
    }

    @Test
    void presenceIsHiddenFromUsersSharingNoRoomAndOnlyOneselfSetsIt() {
        String carol = node.userWithToken("carol", "pw");
        RoomsTestNode.Reply hidden = node.get(status(bobId), carol);
        assertEquals(403, hidden.status());
        assertEquals("M_FORBIDDEN", hidden.errcode());
        RoomsTestNode.Reply other = node.put(status(bobId), "{\"presence\": \"online\"}", alice);
        assertEquals(403, other.status());
        assertEquals("M_FORBIDDEN", other.errcode());
        assertEquals("offline", node.presence.get(bobId).presence());
    }

    @Test
    void badPresenceBodiesAndUserIdsAreRefused() {
        assertEquals("M_INVALID_PARAM", node.put(status(bobId), "{\"presence\": \"asleep\"}", bob).errcode());
        assertEquals("M_MISSING_PARAM", node.put(status(bobId), "{}", bob).errcode());
        assertEquals("M_BAD_JSON", node.put(status(bobId), "{\"presence\": 1}", bob).errcode());
        assertEquals("M_BAD_JSON", node.put(status(bobId), "{\"presence\": \"online\", \"status_msg\": 3}", bob).errcode());
        RoomsTestNode.Reply notAUser = node.get(status("bob"), alice);
        assertEquals(400, notAUser.status());
        assertEquals("M_INVALID_PARAM", notAUser.errcode());
        assertEquals("offline", node.presence.get(bobId).presence());
    }

    @Test
    void syncingShowsAUserOnlineToTheirRoomMatesUnlessTheyAskOtherwise() {
        JsonNode bobFirst = sync(bob, "?set_presence=offline");
        assertFalse(presenceIn(bobFirst).containsKey(bobId), bobFirst.toString());
        assertEquals("offline", node.presence.get(bobId).presence());

        JsonNode aliceFirst = sync(alice, "");
        Map<String, JsonNode> seen = presenceIn(aliceFirst);
        assertEquals("online", seen.get(aliceId).path("presence").asText(), aliceFirst.toString());
        assertTrue(seen.get(aliceId).path("currently_active").asBoolean());

        JsonNode bobNext = sync(bob, "?set_presence=unavailable&since=" + bobFirst.get("next_batch").asText());
        Map<String, JsonNode> bobSees = presenceIn(bobNext);
        assertEquals("online", bobSees.get(aliceId).path("presence").asText(), bobNext.toString());
        assertEquals("unavailable", bobSees.get(bobId).path("presence").asText(), bobNext.toString());

        JsonNode aliceNext = sync(alice, "?since=" + aliceFirst.get("next_batch").asText());
        assertEquals("unavailable", presenceIn(aliceNext).get(bobId).path("presence").asText(), aliceNext.toString());
        assertFalse(presenceIn(aliceNext).containsKey(aliceId), "nothing changed for alice herself");

        RoomsTestNode.Reply badValue = node.get(V3 + "/sync?set_presence=away", alice);
        assertEquals("M_INVALID_PARAM", badValue.errcode());
    }

    @Test
    void usersSharingNoRoomDoNotSeeEachOthersPresence() {
        String carol = node.userWithToken("carol", "pw");
        node.put(status(node.userId("carol")), "{\"presence\": \"online\"}", carol);
        JsonNode aliceSync = sync(alice, "");
        assertFalse(presenceIn(aliceSync).containsKey(node.userId("carol")), aliceSync.toString());
    }

    @Test
    void idleUsersBecomeUnavailableAndUsersWhoStopSyncingOffline() {
        sync(bob, "");
        assertEquals("online", node.presence.get(bobId).presence());
        node.ephemeralClock.advance(Duration.ofMillis(PresenceService.IDLE_MS));
        node.presence.expireIdle();
        assertEquals("unavailable", node.presence.get(bobId).presence());
        node.ephemeralClock.advance(Duration.ofMillis(PresenceService.SYNC_GONE_MS));
        node.presence.expireIdle();
        assertEquals("offline", node.presence.get(bobId).presence());
    }

    @Test
    void presenceOfLocalUsersGoesToTheServersSharingARoom() {
        node.markRemoteMemberJoined(roomId, "@carol:remote.example");
        node.put(status(bobId), "{\"presence\": \"online\", \"status_msg\": \"hi\"}", bob);
        List<RecordingEduOutbox.SentEdu> sent = node.eduOutbox.sent("m.presence");
        assertEquals(1, sent.size());
        assertEquals(Set.of("remote.example"), sent.get(0).destinations());
        JsonNode update = sent.get(0).content().path("push").path(0);
        assertEquals(bobId, update.path("user_id").asText());
        assertEquals("online", update.path("presence").asText());
        assertEquals("hi", update.path("status_msg").asText());
        assertTrue(update.path("last_active_ago").isIntegralNumber());
        assertTrue(update.path("currently_active").asBoolean());
    }
}
