package dev.hyphae.node.unread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnreadNotificationsTest {
    private static final String V3 = "/_matrix/client/v3";
    private static final String THREAD_FILTER = RoomsTestNode.encode(
            "{\"room\": {\"timeline\": {\"unread_thread_notifications\": true}}}");

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String bobId;
    private String roomId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        bobId = node.userId("bob");
        roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private JsonNode sync(String token, String query) {
        RoomsTestNode.Reply reply = node.get(V3 + "/sync" + query, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private JsonNode room(JsonNode sync) {
        return sync.path("rooms").path("join").path(roomId);
    }

    private void receipt(String type, String eventId, String body) {
        RoomsTestNode.Reply reply = node.post(RoomsTestNode.room(roomId) + "/receipt/" + type + "/"
                + RoomsTestNode.encode(eventId), body, bob);
        assertEquals(200, reply.status(), reply.body().toString());
    }

    private String send(String txnId, String content) {
        RoomsTestNode.Reply sent = node.put(RoomsTestNode.room(roomId) + "/send/m.room.message/" + txnId, content, alice);
        assertEquals(200, sent.status(), sent.body().toString());
        return sent.body().get("event_id").asText();
    }

    @Test
    void messagesAfterTheLastReceiptNotifyAndMentionsHighlight() {
        node.sendText(roomId, alice, "t1", "one");
        String second = node.sendText(roomId, alice, "t2", "two");
        send("t3", "{\"msgtype\": \"m.text\", \"body\": \"hey bob\", \"m.mentions\": {\"user_ids\": [\"" + bobId + "\"]}}");

        JsonNode first = sync(bob, "");
        JsonNode unread = room(first).path("unread_notifications");
        assertEquals(3, unread.path("notification_count").asInt(), first.toString());
        assertEquals(1, unread.path("highlight_count").asInt(), first.toString());
        // Nobody counts their own messages.
        assertEquals(0, room(sync(alice, "")).path("unread_notifications").path("notification_count").asInt());

        receipt("m.read", second, "{}");
        JsonNode after = sync(bob, "?since=" + first.get("next_batch").asText());
        JsonNode dropped = room(after).path("unread_notifications");
        assertEquals(1, dropped.path("notification_count").asInt(), after.toString());
        assertEquals(1, dropped.path("highlight_count").asInt(), after.toString());
    }

    @Test
    void aPrivateReceiptClearsTheCountsWithALongPollWokenAtOnce() throws Exception {
        node.sendText(roomId, alice, "t1", "one");
        String last = node.sendText(roomId, alice, "t2", "two");
        JsonNode first = sync(bob, "");
        assertEquals(2, room(first).path("unread_notifications").path("notification_count").asInt(), first.toString());

        CompletableFuture<RoomsTestNode.Reply> poll = node.sendAsync("GET",
                V3 + "/sync?timeout=60000&since=" + first.get("next_batch").asText(), bob);
        awaitWaitingPolls(1);
        receipt("m.read.private", last, "{}");
        RoomsTestNode.Reply woken = poll.get(30, TimeUnit.SECONDS);
        JsonNode unread = room(woken.body()).path("unread_notifications");
        assertEquals(0, unread.path("notification_count").asInt(), woken.body().toString());
        assertEquals(0, unread.path("highlight_count").asInt(), woken.body().toString());
    }

    @Test
    void countsGrowWithEachNewMessageAcrossSyncsAndStartAgainAfterAReceipt() {
        node.sendText(roomId, alice, "t1", "one");
        JsonNode first = sync(bob, "");
        assertEquals(1, room(first).path("unread_notifications").path("notification_count").asInt(), first.toString());

        String since = first.get("next_batch").asText();
        String last = null;
        for (int i = 2; i <= 4; i++) {
            last = node.sendText(roomId, alice, "t" + i, "message " + i);
            JsonNode next = sync(bob, "?since=" + since);
            assertEquals(i, room(next).path("unread_notifications").path("notification_count").asInt(), next.toString());
            since = next.get("next_batch").asText();
        }
        // Asked again with nothing new, the count stays.
        assertEquals(4, room(sync(bob, "")).path("unread_notifications").path("notification_count").asInt());

        receipt("m.read", last, "{}");
        node.sendText(roomId, alice, "t5", "after the receipt");
        JsonNode afterReceipt = sync(bob, "?since=" + since);
        assertEquals(1, room(afterReceipt).path("unread_notifications").path("notification_count").asInt(),
                afterReceipt.toString());
    }

    @Test
    void aPublicReceiptBehindThePrivateOneDoesNotRewindTheCounts() {
        String first = node.sendText(roomId, alice, "t1", "one");
        String second = node.sendText(roomId, alice, "t2", "two");
        receipt("m.read.private", second, "{}");
        receipt("m.read", first, "{}");
        assertEquals(0, room(sync(bob, "")).path("unread_notifications").path("notification_count").asInt());
    }

    @Test
    void threadsAreCountedApartWhenTheFilterAsksAndMarkedByThreadedReceipts() {
        String root = node.sendText(roomId, alice, "t1", "root");
        String threaded = "{\"msgtype\": \"m.text\", \"body\": \"%s\","
                + " \"m.relates_to\": {\"rel_type\": \"m.thread\", \"event_id\": \"" + root + "\"}}";
        String inThread = send("t2", threaded.formatted("first reply"));
        send("t3", threaded.formatted("second reply"));

        JsonNode whole = room(sync(bob, ""));
        assertEquals(3, whole.path("unread_notifications").path("notification_count").asInt(), whole.toString());
        assertFalse(whole.has("unread_thread_notifications"), whole.toString());

        JsonNode split = room(sync(bob, "?filter=" + THREAD_FILTER));
        assertEquals(1, split.path("unread_notifications").path("notification_count").asInt(), split.toString());
        assertEquals(2, split.path("unread_thread_notifications").path(root).path("notification_count").asInt(),
                split.toString());

        receipt("m.read", inThread, "{\"thread_id\": \"" + root + "\"}");
        JsonNode threadRead = room(sync(bob, "?filter=" + THREAD_FILTER));
        assertEquals(1, threadRead.path("unread_notifications").path("notification_count").asInt());
        assertEquals(1, threadRead.path("unread_thread_notifications").path(root).path("notification_count").asInt(),
                threadRead.toString());

        receipt("m.read", root, "{\"thread_id\": \"main\"}");
        JsonNode mainRead = room(sync(bob, "?filter=" + THREAD_FILTER));
        assertEquals(0, mainRead.path("unread_notifications").path("notification_count").asInt(), mainRead.toString());
        assertEquals(1, mainRead.path("unread_thread_notifications").path(root).path("notification_count").asInt());
        assertTrue(mainRead.path("unread_thread_notifications").isObject());
    }

    @Test
    void countsGoPastAThousandUnreadMessagesAndAreCountedAgainInFullAfterAReceipt() throws Exception {
        String tenth = null;
        for (int i = 1; i <= 10; i++) {
            tenth = node.sendText(roomId, alice, "t" + i, "message " + i);
        }
        int messages = 1_050;
        // The rest from a few clients at once, which the store commits together.
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 11; i <= messages; i++) {
                int n = i;
                sent.add(senders.submit(() -> sendPaced("t" + n, "message " + n)));
            }
            for (Future<String> each : sent) {
                each.get(120, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
        JsonNode unread = room(sync(bob, "")).path("unread_notifications");
        assertEquals(messages, unread.path("notification_count").asInt(), unread.toString());

        // Counted again from the receipt, all 1,040 events after it, then one more as it arrives.
        receipt("m.read", tenth, "{}");
        JsonNode afterReceipt = sync(bob, "");
        assertEquals(messages - 10, room(afterReceipt).path("unread_notifications").path("notification_count").asInt());
        node.sendText(roomId, alice, "last", "one more");
        JsonNode next = sync(bob, "?since=" + afterReceipt.get("next_batch").asText());
        assertEquals(messages - 9, room(next).path("unread_notifications").path("notification_count").asInt(),
                next.toString());
    }

    @Test
    void aPushRuleChangeCountsTheRoomAgainWithTheNewRules() {
        node.sendText(roomId, alice, "t1", "one");
        node.sendText(roomId, alice, "t2", "two");
        assertEquals(2, room(sync(bob, "")).path("unread_notifications").path("notification_count").asInt());

        // A room rule without actions silences the room, for the messages already counted too.
        RoomsTestNode.Reply rule = node.put("/_matrix/client/v3/pushrules/global/room/" + RoomsTestNode.encode(roomId),
                "{\"actions\": []}", bob);
        assertEquals(200, rule.status(), rule.body().toString());
        assertEquals(0, room(sync(bob, "")).path("unread_notifications").path("notification_count").asInt());
        node.sendText(roomId, alice, "t3", "three");
        assertEquals(0, room(sync(bob, "")).path("unread_notifications").path("notification_count").asInt());

        RoomsTestNode.Reply removed = node.send("DELETE",
                "/_matrix/client/v3/pushrules/global/room/" + RoomsTestNode.encode(roomId), null, bob);
        assertEquals(200, removed.status(), removed.body().toString());
        assertEquals(3, room(sync(bob, "")).path("unread_notifications").path("notification_count").asInt());
    }

    @Test
    void eventsBeforeTheUserJoinedAreNotUnread() {
        node.sendText(roomId, alice, "t1", "before carol");
        String carol = node.userWithToken("carol", "pw");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", carol).status());
        node.sendText(roomId, alice, "t2", "after carol");
        JsonNode unread = sync(carol, "").path("rooms").path("join").path(roomId).path("unread_notifications");
        assertEquals(1, unread.path("notification_count").asInt(), unread.toString());
    }

    @Test
    void aProfileChangeAfterTheReceiptDoesNotDropTheMessagesBeforeItWhenTheRoomIsCountedAgain() {
        String first = node.sendText(roomId, alice, "t1", "one");
        node.sendText(roomId, alice, "t2", "two");
        node.sendText(roomId, alice, "t3", "three");
        receipt("m.read", first, "{}");
        RoomsTestNode.Reply renamed = node.put(RoomsTestNode.room(roomId) + "/state/m.room.member/"
                + RoomsTestNode.encode(bobId), "{\"membership\": \"join\", \"displayname\": \"Bobby\"}", bob);
        assertEquals(200, renamed.status(), renamed.body().toString());
        node.sendText(roomId, alice, "t4", "four");

        JsonNode unread = room(sync(bob, "")).path("unread_notifications");
        assertEquals(3, unread.path("notification_count").asInt(), unread.toString());
    }

    /** Sends a text as Alice, waiting as told and trying again while the rate limiter answers 429. */
    private String sendPaced(String txnId, String body) throws InterruptedException {
        String content = "{\"msgtype\": \"m.text\", \"body\": \"" + body + "\"}";
        while (true) {
            RoomsTestNode.Reply sent = node.put(RoomsTestNode.room(roomId) + "/send/m.room.message/" + txnId, content,
                    alice);
            if (sent.status() != 429) {
                assertEquals(200, sent.status(), sent.body().toString());
                return sent.body().get("event_id").asText();
            }
            Thread.sleep(Math.max(1, sent.body().path("retry_after_ms").asLong(10)));
        }
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
