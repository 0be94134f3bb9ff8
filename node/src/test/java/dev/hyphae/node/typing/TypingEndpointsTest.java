package dev.hyphae.node.typing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RecordingEduOutbox;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypingEndpointsTest {
    private static final String V3 = "/_matrix/client/v3";

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
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RoomsTestNode.Reply putTyping(String token, String userId, String body) {
        return node.put(RoomsTestNode.room(roomId) + "/typing/" + RoomsTestNode.encode(userId), body, token);
    }

    private JsonNode sync(String token, String query) {
        RoomsTestNode.Reply reply = node.get(V3 + "/sync" + query, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    /** The user IDs of the room's m.typing event in a sync response, or null when it has none. */
    static List<String> typingIn(JsonNode sync, String roomId) {
        for (JsonNode event : sync.path("rooms").path("join").path(roomId).path("ephemeral").path("events")) {
            if (event.path("type").asText().equals("m.typing")) {
                List<String> users = new ArrayList<>();
                event.path("content").path("user_ids").forEach(user -> users.add(user.asText()));
                return users;
            }
        }
        return null;
    }

    @Test
    void typingShowsInTheEphemeralSectionUntilItsTimeoutEnds() {
        String bobId = node.userId("bob");
        assertEquals(200, putTyping(bob, bobId, "{\"typing\": true, \"timeout\": 10000}").status());
        JsonNode first = sync(alice, "");
        assertEquals(List.of(bobId), typingIn(first, roomId), first.toString());

        node.ephemeralClock.advance(Duration.ofSeconds(11));
        JsonNode after = sync(alice, "?since=" + first.get("next_batch").asText());
        assertEquals(List.of(), typingIn(after, roomId), after.toString());

        JsonNode quiet = sync(alice, "?since=" + after.get("next_batch").asText());
        assertEquals(null, typingIn(quiet, roomId), quiet.toString());
    }

    @Test
    void stoppingTypingRemovesTheUserAtOnce() {
        String bobId = node.userId("bob");
        putTyping(bob, bobId, "{\"typing\": true, \"timeout\": 30000}");
        JsonNode first = sync(alice, "");
        assertEquals(200, putTyping(bob, bobId, "{\"typing\": false}").status());
        JsonNode after = sync(alice, "?since=" + first.get("next_batch").asText());
        assertEquals(List.of(), typingIn(after, roomId), after.toString());
    }

    @Test
    void aLongPollIsWokenAtOnceByTyping() throws Exception {
        String since = sync(alice, "").get("next_batch").asText();
        CompletableFuture<RoomsTestNode.Reply> poll = node.sendAsync("GET", V3 + "/sync?timeout=60000&since=" + since, alice);
        awaitWaitingPolls(1);
        putTyping(bob, node.userId("bob"), "{\"typing\": true, \"timeout\": 30000}");
        RoomsTestNode.Reply woken = poll.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(node.userId("bob")), typingIn(woken.body(), roomId), woken.body().toString());
    }

    @Test
    void aUserMayOnlySetTheirOwnTyping() {
        RoomsTestNode.Reply reply = putTyping(bob, node.userId("alice"), "{\"typing\": true, \"timeout\": 1000}");
        assertEquals(403, reply.status());
        assertEquals("M_FORBIDDEN", reply.errcode());
        assertTrue(node.typing.typingIn(roomId).isEmpty());
    }

    @Test
    void aUserWhoIsNotJoinedMayNotType() {
        String carol = node.userWithToken("carol", "pw");
        RoomsTestNode.Reply reply = putTyping(carol, node.userId("carol"), "{\"typing\": true, \"timeout\": 1000}");
        assertEquals(403, reply.status());
        assertEquals("M_FORBIDDEN", reply.errcode());
        RoomsTestNode.Reply unknownRoom = node.put(RoomsTestNode.room("!nowhere:example.org") + "/typing/"
                + RoomsTestNode.encode(node.userId("carol")), "{\"typing\": true}", carol);
        assertEquals("M_FORBIDDEN", unknownRoom.errcode());
    }

    @Test
    void aBadBodyIsRefused() {
        String bobId = node.userId("bob");
        assertEquals("M_BAD_JSON", putTyping(bob, bobId, "{\"typing\": \"yes\"}").errcode());
        assertEquals("M_MISSING_PARAM", putTyping(bob, bobId, "{\"timeout\": 1000}").errcode());
        assertEquals("M_BAD_JSON", putTyping(bob, bobId, "{\"typing\": true, \"timeout\": \"long\"}").errcode());
        assertEquals("M_INVALID_PARAM", putTyping(bob, bobId, "{\"typing\": true, \"timeout\": -1}").errcode());
        assertEquals("M_NOT_JSON", putTyping(bob, bobId, "not json").errcode());
        assertTrue(node.typing.typingIn(roomId).isEmpty());
    }

    @Test
    void typingOfALocalUserGoesToTheServersOfTheOtherMembers() {
        node.markRemoteMemberJoined(roomId, "@carol:remote.example");
        putTyping(bob, node.userId("bob"), "{\"typing\": true, \"timeout\": 5000}");
        List<RecordingEduOutbox.SentEdu> sent = node.eduOutbox.sent("m.typing");
        assertEquals(1, sent.size());
        assertEquals(Set.of("remote.example"), sent.get(0).destinations());
        assertEquals(roomId, sent.get(0).content().get("room_id").asText());
        assertEquals(node.userId("bob"), sent.get(0).content().get("user_id").asText());
        assertTrue(sent.get(0).content().get("typing").asBoolean());

        // A renewal changes nothing others see; the timeout's end tells them the user stopped.
        putTyping(bob, node.userId("bob"), "{\"typing\": true, \"timeout\": 5000}");
        assertEquals(1, node.eduOutbox.sent("m.typing").size());
        node.ephemeralClock.advance(Duration.ofSeconds(6));
        node.typing.expireDue();
        List<RecordingEduOutbox.SentEdu> after = node.eduOutbox.sent("m.typing");
        assertEquals(2, after.size());
        assertFalse(after.get(1).content().get("typing").asBoolean());
    }

    private void awaitWaitingPolls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waitingCount() < count) {
            if (System.nanoTime() > deadline) {
                fail("the long poll never started waiting");
            }
            Thread.sleep(5);
        }
    }

    private int waitingCount() {
        return node.waitingSyncs();
    }
}
