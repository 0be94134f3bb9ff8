package dev.hyphae.node.sync;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The to-device, device list and key count sections of /sync, through the HTTP API. */
class E2eeSyncStreamsTest {
    private static final String V3 = "/_matrix/client/v3";
    /** Far longer than any wake takes: a poll that answers before it was woken by the change. */
    private static final int POLL_TIMEOUT_MS = 60_000;

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String bobDevice;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        bobDevice = node.get(V3 + "/account/whoami", bob).body().get("device_id").asText();
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

    private CompletableFuture<RoomsTestNode.Reply> longPoll(String token, String since) throws InterruptedException {
        int before = node.syncNotifier.waitingCount();
        CompletableFuture<RoomsTestNode.Reply> poll = node.sendAsync("GET",
                V3 + "/sync?timeout=" + POLL_TIMEOUT_MS + "&since=" + since, token);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (node.syncNotifier.waitingCount() <= before) {
            if (poll.isDone()) {
                fail("the long poll answered at once: " + poll.join().body());
            }
            if (System.nanoTime() > deadline) {
                fail("the long poll never started waiting");
            }
            Thread.sleep(5);
        }
        return poll;
    }

    private void sendToBob(String txnId, String text) {
        RoomsTestNode.Reply sent = node.put(V3 + "/sendToDevice/m.test/" + txnId, """
                {"messages": {"%s": {"%s": {"text": "%s"}}}}""".formatted(node.userId("bob"), bobDevice, text), alice);
        assertEquals(200, sent.status(), sent.body().toString());
    }

    private static List<String> toDeviceTexts(JsonNode sync) {
        List<String> texts = new ArrayList<>();
        sync.path("to_device").path("events").forEach(event -> texts.add(event.path("content").path("text").asText()));
        return texts;
    }

    @Test
    void aToDeviceMessageWakesTheLongPollAndIsSentAgainUntilAcknowledged() throws Exception {
        String since = sync(bob, "").get("next_batch").asText();
        CompletableFuture<RoomsTestNode.Reply> poll = longPoll(bob, since);
        sendToBob("t1", "hello");
        JsonNode woken = poll.get(30, TimeUnit.SECONDS).body();
        assertEquals(List.of("hello"), toDeviceTexts(woken), woken.toString());
        JsonNode event = woken.get("to_device").get("events").get(0);
        assertEquals(node.userId("alice"), event.get("sender").asText());
        assertEquals("m.test", event.get("type").asText());

        // The answer was lost: syncing again from the old token gets the message again.
        assertEquals(List.of("hello"), toDeviceTexts(sync(bob, "?since=" + since)));
        // Syncing past it acknowledges it: it is deleted and never sent again.
        String next = woken.get("next_batch").asText();
        JsonNode after = sync(bob, "?since=" + next);
        assertEquals(List.of(), toDeviceTexts(after), after.toString());
        assertEquals(List.of(), toDeviceTexts(sync(bob, "?since=" + since)));
    }

    @Test
    void toDeviceMessagesComeInOrderAtMostOneHundredAtATime() {
        String since = sync(bob, "").get("next_batch").asText();
        for (int i = 0; i < 130; i++) {
            sendToBob("t" + i, "m" + i);
        }
        JsonNode first = sync(bob, "?since=" + since);
        JsonNode second = sync(bob, "?since=" + first.get("next_batch").asText());
        List<String> texts = new ArrayList<>(toDeviceTexts(first));
        assertEquals(100, texts.size());
        texts.addAll(toDeviceTexts(second));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            expected.add("m" + i);
        }
        assertEquals(expected, texts);
    }

    @Test
    void aDeviceListChangeOfSomeoneSharingARoomWakesTheLongPoll() throws Exception {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
        String since = sync(bob, "").get("next_batch").asText();

        CompletableFuture<RoomsTestNode.Reply> poll = longPoll(bob, since);
        node.e2ee.deviceLists().recordChange(node.userId("alice")).get(10, TimeUnit.SECONDS);
        JsonNode woken = poll.get(30, TimeUnit.SECONDS).body();
        assertEquals(List.of(node.userId("alice")), strings(woken.path("device_lists").path("changed")), woken.toString());

        // /keys/changes reads the device list position out of the same tokens.
        JsonNode changes = node.get(V3 + "/keys/changes?from=" + since + "&to=" + woken.get("next_batch").asText(), bob)
                .body();
        assertEquals(List.of(node.userId("alice")), strings(changes.get("changed")), changes.toString());
    }

    @Test
    void aDeviceListChangeOfAStrangerIsNotSent() throws Exception {
        String since = sync(bob, "").get("next_batch").asText();
        node.e2ee.deviceLists().recordChange(node.userId("alice")).get(10, TimeUnit.SECONDS);
        JsonNode next = sync(bob, "?since=" + since);
        assertFalse(next.has("device_lists"), next.toString());
    }

    @Test
    void joiningAndLeavingARoomPutMembersInChangedAndLeft() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        String since = sync(alice, "").get("next_batch").asText();
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
        JsonNode joined = sync(alice, "?since=" + since);
        assertEquals(List.of(node.userId("bob")), strings(joined.path("device_lists").path("changed")), joined.toString());

        // Bob, for his part, learns of Alice when he syncs past his join.
        JsonNode bobInitial = sync(bob, "");
        assertFalse(bobInitial.has("device_lists"), "only incremental syncs carry device_lists");

        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/leave", "{}", bob).status());
        JsonNode left = sync(alice, "?since=" + joined.get("next_batch").asText());
        assertEquals(List.of(node.userId("bob")), strings(left.path("device_lists").path("left")), left.toString());
        assertEquals(List.of(), strings(left.path("device_lists").path("changed")), left.toString());
    }

    @Test
    void keyCountsComeWithEveryAnswerButDoNotEndALongPoll() throws Exception {
        JsonNode initial = sync(bob, "");
        assertEquals(0, initial.get("device_one_time_keys_count").size(), initial.toString());
        assertEquals(0, initial.get("device_unused_fallback_key_types").size(), initial.toString());

        RoomsTestNode.Reply uploaded = node.post(V3 + "/keys/upload", """
                {"one_time_keys": {"signed_curve25519:A": "a", "signed_curve25519:B": "b"},
                 "fallback_keys": {"signed_curve25519:F": "f"}}""", bob);
        assertEquals(200, uploaded.status(), uploaded.body().toString());

        // The counts alone are no news: the long poll waits (longPoll fails if it answers at once).
        CompletableFuture<RoomsTestNode.Reply> poll = longPoll(bob, initial.get("next_batch").asText());
        sendToBob("t1", "wake up");
        JsonNode woken = poll.get(30, TimeUnit.SECONDS).body();
        assertEquals(List.of("wake up"), toDeviceTexts(woken), woken.toString());
        assertEquals(2, woken.get("device_one_time_keys_count").get("signed_curve25519").asInt(), woken.toString());
        assertEquals(List.of("signed_curve25519"), strings(woken.get("device_unused_fallback_key_types")));
    }

    @Test
    void aSyncTokenThatIsNotOursIsRefusedByKeysChanges() {
        RoomsTestNode.Reply reply = node.get(V3 + "/keys/changes?from=nonsense&to=s1_2", bob);
        assertEquals(400, reply.status());
        assertEquals("M_INVALID_PARAM", reply.errcode());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
