package dev.hyphae.node.sync;

import static dev.hyphae.node.client.RoomsTestNode.encode;
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

class SyncEndpointsTest {
    private static final String V3 = "/_matrix/client/v3";
    /** Far longer than any wake takes: a poll that answers before it was woken by the change. */
    private static final int POLL_TIMEOUT_MS = 60_000;

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
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

    /** Waits until {@code count} long polls are parked in the notifier, so a change must wake them. */
    private void awaitWaitingPolls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (node.syncNotifier.waitingCount() < count) {
            if (System.nanoTime() > deadline) {
                fail("the long poll never started waiting");
            }
            Thread.sleep(5);
        }
    }

    private static List<String> timelineBodies(JsonNode sync, String roomId) {
        List<String> bodies = new ArrayList<>();
        sync.path("rooms").path("join").path(roomId).path("timeline").path("events").forEach(event -> {
            if (event.get("type").asText().equals("m.room.message")) {
                bodies.add(event.get("content").get("body").asText());
            }
        });
        return bodies;
    }

    @Test
    void aLongPollWakesForEachNewMessageAndSeesThemInOrder() throws Exception {
        String roomId = node.createRoom(alice, "{\"name\": \"Chat\"}");
        String bobId = node.userId("bob");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/invite", "{\"user_id\": \"" + bobId + "\"}", alice).status());

        JsonNode invited = sync(bob, "");
        JsonNode inviteState = invited.path("rooms").path("invite").path(roomId).path("invite_state").path("events");
        assertTrue(inviteState.isArray() && inviteState.size() > 0, invited.toString());
        boolean sawInvite = false;
        for (JsonNode event : inviteState) {
            sawInvite |= event.get("type").asText().equals("m.room.member")
                    && event.get("state_key").asText().equals(bobId)
                    && event.get("content").get("membership").asText().equals("invite");
        }
        assertTrue(sawInvite, inviteState.toString());

        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob).status());
        JsonNode joined = sync(bob, "?since=" + invited.get("next_batch").asText());
        assertTrue(joined.path("rooms").path("join").has(roomId), joined.toString());
        String since = joined.get("next_batch").asText();

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CompletableFuture<RoomsTestNode.Reply> poll = node.sendAsync("GET",
                    V3 + "/sync?timeout=" + POLL_TIMEOUT_MS + "&since=" + since, bob);
            awaitWaitingPolls(1);
            node.sendText(roomId, alice, "m" + i, "message " + i);
            RoomsTestNode.Reply woken = poll.get(30, TimeUnit.SECONDS);
            assertEquals(200, woken.status(), woken.body().toString());
            List<String> bodies = timelineBodies(woken.body(), roomId);
            assertEquals(List.of("message " + i), bodies, woken.body().toString());
            seen.addAll(bodies);
            since = woken.body().get("next_batch").asText();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("message " + i);
        }
        assertEquals(expected, seen);
        assertEquals(0, node.syncNotifier.waitingCount());
    }

    @Test
    void anInitialSyncGivesTheStateBeforeALimitedTimelineWithAPrevBatchForMessages() {
        String roomId = node.createRoom(alice, "{\"name\": \"Busy\"}");
        for (int i = 0; i < 15; i++) {
            node.sendText(roomId, alice, "m" + i, "message " + i);
        }
        JsonNode sync = sync(alice, "");
        JsonNode joined = sync.path("rooms").path("join").path(roomId);
        JsonNode timeline = joined.path("timeline");
        assertTrue(timeline.get("limited").asBoolean(), timeline.toString());
        assertEquals(10, timeline.get("events").size());
        assertEquals(List.of("message 5", "message 6", "message 7", "message 8", "message 9", "message 10",
                "message 11", "message 12", "message 13", "message 14"), timelineBodies(sync, roomId));
        List<String> stateTypes = new ArrayList<>();
        joined.path("state").path("events").forEach(event -> stateTypes.add(event.get("type").asText()));
        assertTrue(stateTypes.containsAll(List.of("m.room.create", "m.room.member", "m.room.name")), stateTypes.toString());
        assertFalse(joined.has("state_after"));

        JsonNode earlier = node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=5&from="
                + encode(timeline.get("prev_batch").asText()), alice).body();
        assertEquals("message 4", earlier.get("chunk").get(0).get("content").get("body").asText());
    }

    @Test
    void anIncrementalSyncGivesTheNewEventsInOrderAndIsLimitedOnlyWhenMoreArrivedThanTheTimelineHolds() {
        String roomId = node.createRoom(alice, "{}");
        for (int i = 0; i < 30; i++) {
            node.sendText(roomId, alice, "old" + i, "old " + i);
        }
        String since = sync(alice, "").get("next_batch").asText();
        for (int i = 0; i < 3; i++) {
            node.sendText(roomId, alice, "new" + i, "new " + i);
        }
        JsonNode few = sync(alice, "?since=" + since);
        assertEquals(List.of("new 0", "new 1", "new 2"), timelineBodies(few, roomId));
        assertFalse(few.path("rooms").path("join").path(roomId).path("timeline").get("limited").asBoolean());

        for (int i = 3; i < 15; i++) {
            node.sendText(roomId, alice, "new" + i, "new " + i);
        }
        JsonNode many = sync(alice, "?since=" + few.get("next_batch").asText());
        assertEquals(List.of("new 5", "new 6", "new 7", "new 8", "new 9", "new 10", "new 11", "new 12", "new 13",
                "new 14"), timelineBodies(many, roomId));
        assertTrue(many.path("rooms").path("join").path(roomId).path("timeline").get("limited").asBoolean());
    }

    @Test
    void useStateAfterPutsTheStateAtTheEndOfTheTimelineInStateAfterUnderTheNameTheClientAskedWith() {
        String roomId = node.createRoom(alice, "{}");
        JsonNode first = sync(alice, "?use_state_after=true");
        JsonNode joined = first.path("rooms").path("join").path(roomId);
        assertFalse(joined.has("state"), joined.toString());
        assertTrue(joined.path("state_after").path("events").size() > 0, joined.toString());

        node.put(RoomsTestNode.room(roomId) + "/state/m.room.topic/", "{\"topic\": \"new\"}", alice);
        JsonNode next = sync(alice, "?org.matrix.msc4222.use_state_after=true&since=" + first.get("next_batch").asText());
        // Asked with the unstable name, the answer uses the unstable name too (matrix-js-sdk reads only that).
        JsonNode nextRoom = next.path("rooms").path("join").path(roomId);
        assertFalse(nextRoom.has("state_after"), nextRoom.toString());
        JsonNode stateAfter = nextRoom.path("org.matrix.msc4222.state_after").path("events");
        assertEquals(1, stateAfter.size(), next.toString());
        assertEquals("m.room.topic", stateAfter.get(0).get("type").asText());

        // Without the parameter, the topic is in the timeline and the state before it is unchanged.
        node.put(RoomsTestNode.room(roomId) + "/state/m.room.topic/", "{\"topic\": \"newer\"}", alice);
        JsonNode plain = sync(alice, "?since=" + next.get("next_batch").asText());
        JsonNode entry = plain.path("rooms").path("join").path(roomId);
        assertEquals(0, entry.path("state").path("events").size(), entry.toString());
        assertEquals("newer", entry.path("timeline").path("events").get(0).get("content").get("topic").asText());
    }

    @Test
    void fullStateGivesTheWholeStateOnAnIncrementalSync() {
        String roomId = node.createRoom(alice, "{\"name\": \"Full\"}");
        String since = sync(alice, "").get("next_batch").asText();
        node.sendText(roomId, alice, "m1", "hello");
        JsonNode delta = sync(alice, "?since=" + since).path("rooms").path("join").path(roomId);
        assertEquals(0, delta.path("state").path("events").size(), delta.toString());
        JsonNode full = sync(alice, "?full_state=true&since=" + since).path("rooms").path("join").path(roomId);
        List<String> types = new ArrayList<>();
        full.path("state").path("events").forEach(event -> types.add(event.get("type").asText()));
        assertTrue(types.containsAll(List.of("m.room.create", "m.room.name", "m.room.power_levels")), types.toString());
        assertEquals(List.of("hello"), timelineBodies(sync(alice, "?full_state=true&since=" + since), roomId));
    }

    @Test
    void anAccountDataChangeWakesTheLongPoll() throws Exception {
        String since = sync(alice, "").get("next_batch").asText();
        CompletableFuture<RoomsTestNode.Reply> poll = node.sendAsync("GET",
                V3 + "/sync?timeout=" + POLL_TIMEOUT_MS + "&since=" + since, alice);
        awaitWaitingPolls(1);
        assertEquals(200, node.put(V3 + "/user/" + encode(node.userId("alice")) + "/account_data/org.example.theme",
                "{\"dark\": true}", alice).status());
        JsonNode woken = poll.get(30, TimeUnit.SECONDS).body();
        JsonNode events = woken.path("account_data").path("events");
        assertEquals(1, events.size(), woken.toString());
        assertEquals("org.example.theme", events.get(0).get("type").asText());
        assertTrue(events.get(0).get("content").get("dark").asBoolean());
    }

    @Test
    void roomAccountDataArrivesInTheJoinedRoom() {
        String roomId = node.createRoom(alice, "{}");
        String since = sync(alice, "").get("next_batch").asText();
        node.put(V3 + "/user/" + encode(node.userId("alice")) + "/rooms/" + encode(roomId)
                + "/account_data/org.example.note", "{\"text\": \"hi\"}", alice);
        JsonNode next = sync(alice, "?since=" + since);
        JsonNode events = next.path("rooms").path("join").path(roomId).path("account_data").path("events");
        assertEquals("org.example.note", events.get(0).get("type").asText(), next.toString());
    }

    @Test
    void aRoomTheUserLeftIsInTheLeaveSection() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        node.post(RoomsTestNode.room(roomId) + "/join", "{}", bob);
        String since = sync(bob, "").get("next_batch").asText();
        node.post(RoomsTestNode.room(roomId) + "/leave", "{}", bob);
        JsonNode next = sync(bob, "?since=" + since);
        JsonNode left = next.path("rooms").path("leave").path(roomId);
        assertTrue(left.isObject(), next.toString());
        JsonNode lastEvent = left.path("timeline").path("events").get(0);
        assertEquals("leave", lastEvent.get("content").get("membership").asText());
        assertFalse(next.path("rooms").path("join").has(roomId));
    }

    @Test
    void aKnockIsInTheKnockSectionWithStrippedState() {
        String roomId = node.createRoom(alice, "{\"name\": \"Door\", \"initial_state\": [{\"type\": \"m.room.join_rules\","
                + " \"content\": {\"join_rule\": \"knock\"}}]}");
        RoomsTestNode.Reply knock = node.post(V3 + "/knock/" + encode(roomId), "{\"reason\": \"let me in\"}", bob);
        assertEquals(200, knock.status(), knock.body().toString());
        JsonNode sync = sync(bob, "");
        JsonNode knockState = sync.path("rooms").path("knock").path(roomId).path("knock_state").path("events");
        List<String> types = new ArrayList<>();
        knockState.forEach(event -> types.add(event.get("type").asText()));
        assertTrue(types.containsAll(List.of("m.room.member", "m.room.name", "m.room.join_rules")), sync.toString());
        assertFalse(sync.path("rooms").path("join").has(roomId));
    }

    @Test
    void aSyncWithNothingNewAnswersAfterItsTimeoutWithTheSameToken() {
        node.createRoom(alice, "{}");
        String since = sync(alice, "").get("next_batch").asText();
        JsonNode empty = sync(alice, "?timeout=50&since=" + since);
        assertEquals(since, empty.get("next_batch").asText());
        assertFalse(empty.has("rooms"), empty.toString());
        assertEquals(0, node.syncNotifier.waitingCount());
    }

    @Test
    void storedAndInlineFiltersLimitTheTimeline() {
        String roomId = node.createRoom(alice, "{}");
        for (int i = 0; i < 5; i++) {
            node.sendText(roomId, alice, "m" + i, "message " + i);
        }
        JsonNode inline = sync(alice, "?filter=" + encode("{\"room\": {\"timeline\": {\"limit\": 2}}}"));
        assertEquals(List.of("message 3", "message 4"), timelineBodies(inline, roomId));

        RoomsTestNode.Reply stored = node.post(V3 + "/user/" + encode(node.userId("alice")) + "/filter",
                "{\"room\": {\"rooms\": [\"!other:example.org\"]}}", alice);
        JsonNode filtered = sync(alice, "?filter=" + stored.body().get("filter_id").asText());
        assertFalse(filtered.path("rooms").path("join").has(roomId), filtered.toString());
        assertEquals("M_NOT_FOUND", node.get(V3 + "/sync?filter=999999", alice).errcode());
    }

    @Test
    void badParametersAreRefused() {
        assertEquals("M_INVALID_PARAM", node.get(V3 + "/sync?since=garbage", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(V3 + "/sync?timeout=soon", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(V3 + "/sync?full_state=yes", alice).errcode());
        assertEquals("M_MISSING_TOKEN", node.get(V3 + "/sync", null).errcode());
    }
}
