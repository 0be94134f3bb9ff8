package dev.hyphae.node.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RecordingEduOutbox;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptEndpointsTest {
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

    private RoomsTestNode.Reply receipt(String token, String type, String eventId, String body) {
        return node.post(RoomsTestNode.room(roomId) + "/receipt/" + type + "/" + RoomsTestNode.encode(eventId), body,
                token);
    }

    private JsonNode sync(String token, String query) {
        RoomsTestNode.Reply reply = node.get(V3 + "/sync" + query, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    /** The content of the room's m.receipt event in a sync response; a missing node when there is none. */
    static JsonNode receiptsIn(JsonNode sync, String roomId) {
        for (JsonNode event : sync.path("rooms").path("join").path(roomId).path("ephemeral").path("events")) {
            if (event.path("type").asText().equals("m.receipt")) {
                return event.get("content");
            }
        }
        return sync.path("no receipts");
    }

    @Test
    void aReadReceiptReachesTheOtherMembersSync() {
        String eventId = node.sendText(roomId, alice, "t1", "hello");
        assertEquals(200, receipt(bob, "m.read", eventId, "{}").status());
        JsonNode content = receiptsIn(sync(alice, ""), roomId);
        JsonNode entry = content.path(eventId).path("m.read").path(bobId);
        assertTrue(entry.path("ts").isIntegralNumber(), content.toString());
        assertFalse(entry.has("thread_id"));
        assertEquals(List.of(), node.eduOutbox.sent("m.receipt"));
    }

    @Test
    void aReceiptWithoutABodyIsAnUnthreadedReceipt() {
        String eventId = node.sendText(roomId, alice, "t1", "hello");
        assertEquals(200, receipt(bob, "m.read", eventId, null).status());
        JsonNode entry = receiptsIn(sync(alice, ""), roomId).path(eventId).path("m.read").path(bobId);
        assertTrue(entry.path("ts").isIntegralNumber(), entry.toString());
        assertFalse(entry.has("thread_id"));
    }

    @Test
    void aLongPollIsWokenAtOnceByAReceipt() throws Exception {
        String eventId = node.sendText(roomId, alice, "t1", "hello");
        String since = sync(alice, "").get("next_batch").asText();
        CompletableFuture<RoomsTestNode.Reply> poll = node.sendAsync("GET", V3 + "/sync?timeout=60000&since=" + since,
                alice);
        awaitWaitingPolls(1);
        receipt(bob, "m.read", eventId, "{}");
        RoomsTestNode.Reply woken = poll.get(30, TimeUnit.SECONDS);
        assertTrue(receiptsIn(woken.body(), roomId).path(eventId).path("m.read").has(bobId), woken.body().toString());
    }

    @Test
    void aPrivateReceiptReachesOnlyItsOwner() {
        String eventId = node.sendText(roomId, alice, "t1", "hello");
        String aliceSince = sync(alice, "").get("next_batch").asText();
        assertEquals(200, receipt(bob, "m.read.private", eventId, "{}").status());

        JsonNode bobSync = sync(bob, "");
        assertTrue(receiptsIn(bobSync, roomId).path(eventId).path("m.read.private").has(bobId), bobSync.toString());
        JsonNode aliceInitial = sync(alice, "");
        assertTrue(receiptsIn(aliceInitial, roomId).isMissingNode(), aliceInitial.toString());
        JsonNode aliceIncremental = sync(alice, "?since=" + aliceSince);
        assertTrue(receiptsIn(aliceIncremental, roomId).isMissingNode(), aliceIncremental.toString());
        assertEquals(List.of(), node.eduOutbox.sent("m.receipt"));
    }

    @Test
    void aThreadedReceiptCarriesItsThreadId() {
        String root = node.sendText(roomId, alice, "t1", "root");
        RoomsTestNode.Reply reply = node.put(RoomsTestNode.room(roomId) + "/send/m.room.message/t2", """
                {"msgtype": "m.text", "body": "in thread", "m.relates_to": {"rel_type": "m.thread", "event_id": "%s"}}
                """.formatted(root), alice);
        String inThread = reply.body().get("event_id").asText();
        assertEquals(200, receipt(bob, "m.read", inThread, "{\"thread_id\": \"" + root + "\"}").status());
        assertEquals(200, receipt(bob, "m.read", root, "{\"thread_id\": \"main\"}").status());
        JsonNode content = receiptsIn(sync(alice, ""), roomId);
        assertEquals(root, content.path(inThread).path("m.read").path(bobId).path("thread_id").asText(), content.toString());
        assertEquals("main", content.path(root).path("m.read").path(bobId).path("thread_id").asText(), content.toString());

        RoomsTestNode.Reply wrongThread = receipt(bob, "m.read", inThread, "{\"thread_id\": \"main\"}");
        assertEquals(400, wrongThread.status());
        assertEquals("M_INVALID_PARAM", wrongThread.errcode());
    }

    @Test
    void badThreadIdsAndTypesAreRefused() {
        String eventId = node.sendText(roomId, alice, "t1", "hello");
        assertEquals("M_INVALID_PARAM", receipt(bob, "m.read", eventId, "{\"thread_id\": \"\"}").errcode());
        assertEquals("M_INVALID_PARAM", receipt(bob, "m.read", eventId, "{\"thread_id\": 5}").errcode());
        assertEquals("M_INVALID_PARAM", receipt(bob, "m.fully_read", eventId, "{\"thread_id\": \"main\"}").errcode());
        RoomsTestNode.Reply unknownType = receipt(bob, "m.seen", eventId, "{}");
        assertEquals(400, unknownType.status());
        assertEquals("M_INVALID_PARAM", unknownType.errcode());
        assertEquals("M_NOT_JSON", receipt(bob, "m.read", eventId, "[").errcode());
    }

    @Test
    void onlyMembersMaySendReceiptsForEventsOfTheRoom() {
        String eventId = node.sendText(roomId, alice, "t1", "hello");
        String carol = node.userWithToken("carol", "pw");
        RoomsTestNode.Reply outsider = receipt(carol, "m.read", eventId, "{}");
        assertEquals(403, outsider.status());
        assertEquals("M_FORBIDDEN", outsider.errcode());
        RoomsTestNode.Reply unknownEvent = receipt(bob, "m.read", "$nope", "{}");
        assertEquals(404, unknownEvent.status());
        assertEquals("M_NOT_FOUND", unknownEvent.errcode());
    }

    @Test
    void aReceiptNeverMovesBack() {
        String first = node.sendText(roomId, alice, "t1", "one");
        String second = node.sendText(roomId, alice, "t2", "two");
        receipt(bob, "m.read", second, "{}");
        assertEquals(200, receipt(bob, "m.read", first, "{}").status());
        JsonNode content = receiptsIn(sync(alice, ""), roomId);
        assertTrue(content.path(second).path("m.read").has(bobId), content.toString());
        assertFalse(content.has(first), content.toString());
    }

    @Test
    void readMarkersSetTheFullyReadMarkerAndTheReceipts() {
        String first = node.sendText(roomId, alice, "t1", "one");
        String second = node.sendText(roomId, alice, "t2", "two");
        RoomsTestNode.Reply reply = node.post(RoomsTestNode.room(roomId) + "/read_markers", """
                {"m.fully_read": "%s", "m.read": "%s", "m.read.private": "%s"}""".formatted(first, first, second), bob);
        assertEquals(200, reply.status(), reply.body().toString());

        JsonNode bobSync = sync(bob, "");
        JsonNode room = bobSync.path("rooms").path("join").path(roomId);
        boolean sawMarker = false;
        for (JsonNode event : room.path("account_data").path("events")) {
            sawMarker |= event.path("type").asText().equals("m.fully_read")
                    && event.path("content").path("event_id").asText().equals(first);
        }
        assertTrue(sawMarker, room.toString());
        JsonNode content = receiptsIn(bobSync, roomId);
        assertTrue(content.path(first).path("m.read").has(bobId), content.toString());
        assertTrue(content.path(second).path("m.read.private").has(bobId), content.toString());
        JsonNode marker = node.get(V3 + "/user/" + RoomsTestNode.encode(bobId) + "/rooms/" + RoomsTestNode.encode(roomId)
                + "/account_data/m.fully_read", bob).body();
        assertEquals(first, marker.path("event_id").asText());

        // m.fully_read as a receipt type moves the same marker.
        assertEquals(200, receipt(bob, "m.fully_read", second, "{}").status());
        JsonNode moved = node.get(V3 + "/user/" + RoomsTestNode.encode(bobId) + "/rooms/" + RoomsTestNode.encode(roomId)
                + "/account_data/m.fully_read", bob).body();
        assertEquals(second, moved.path("event_id").asText());
    }

    @Test
    void readMarkersAreRefusedForNonMembersAndBadBodies() {
        String eventId = node.sendText(roomId, alice, "t1", "one");
        String carol = node.userWithToken("carol", "pw");
        RoomsTestNode.Reply outsider = node.post(RoomsTestNode.room(roomId) + "/read_markers",
                "{\"m.fully_read\": \"" + eventId + "\"}", carol);
        assertEquals("M_FORBIDDEN", outsider.errcode());
        RoomsTestNode.Reply badJson = node.post(RoomsTestNode.room(roomId) + "/read_markers",
                "{\"m.fully_read\": 5}", bob);
        assertEquals(400, badJson.status());
        assertEquals("M_BAD_JSON", badJson.errcode());
        RoomsTestNode.Reply otherRoom = node.post(RoomsTestNode.room(roomId) + "/read_markers",
                "{\"m.read\": \"$unknown\"}", bob);
        assertEquals("M_NOT_FOUND", otherRoom.errcode());
    }

    @Test
    void publicReceiptsOfLocalUsersGoToTheOtherMembersServers() {
        node.markRemoteMemberJoined(roomId, "@carol:remote.example");
        String first = node.sendText(roomId, alice, "t1", "one");
        String second = node.sendText(roomId, alice, "t2", "two");
        receipt(bob, "m.read.private", first, "{}");
        receipt(bob, "m.read", second, "{\"thread_id\": \"main\"}");
        List<RecordingEduOutbox.SentEdu> sent = node.eduOutbox.sent("m.receipt");
        assertEquals(1, sent.size());
        assertEquals(Set.of("remote.example"), sent.get(0).destinations());
        JsonNode receipt = sent.get(0).content().path(roomId).path("m.read").path(bobId);
        assertEquals(second, receipt.path("event_ids").path(0).asText(), sent.get(0).content().toString());
        assertEquals("main", receipt.path("data").path("thread_id").asText());
        assertTrue(receipt.path("data").path("ts").isIntegralNumber());
    }

    private void awaitWaitingPolls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (node.waitingSyncs() < count) {
            if (System.nanoTime() > deadline) {
                fail("the long poll never started waiting");
            }
            Thread.sleep(5);
        }
    }
}
