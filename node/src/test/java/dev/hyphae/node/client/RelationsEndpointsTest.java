package dev.hyphae.node.client;

import static dev.hyphae.node.client.RoomsTestNode.encode;
import static dev.hyphae.node.client.RoomsTestNode.room;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelationsEndpointsTest {
    private static final String V1 = "/_matrix/client/v1/rooms/";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String carol;
    private String roomId;
    private int txn;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        carol = node.userWithToken("carol", "pw");
        roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());
        assertEquals(200, node.post(room(roomId) + "/join", "{}", carol).status());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void childEventsArePagedNewestFirstOrOldestFirstAndNarrowedByTypes() {
        String root = node.sendText(roomId, alice, "root", "root");
        String first = inThread(root, bob, "one");
        String reference = related(root, alice, "m.reference", "see");
        String second = inThread(root, bob, "two");

        assertEquals(List.of(second, reference, first), ids(relations(root, "").get("chunk")));
        assertEquals(List.of(first, second), ids(relations(root, "/m.thread?dir=f").get("chunk")));
        assertEquals(List.of(reference), ids(relations(root, "/m.reference/m.room.message").get("chunk")));
        assertEquals(List.of(), ids(relations(root, "/m.thread/m.sticker").get("chunk")));

        JsonNode page = relations(root, "?limit=2");
        assertEquals(List.of(second, reference), ids(page.get("chunk")));
        JsonNode rest = relations(root, "?limit=2&from=" + encode(page.get("next_batch").asText()));
        assertEquals(List.of(first), ids(rest.get("chunk")));
        assertFalse(rest.has("next_batch"));
        assertEquals(page.get("next_batch").asText(), rest.get("prev_batch").asText());
    }

    @Test
    void recursionFollowsRelationsOfRelationsAndSaysHowDeep() {
        String root = node.sendText(roomId, alice, "root", "root");
        String reply = inThread(root, bob, "reply");
        String reaction = related(reply, carol, "m.annotation", "👍");
        assertEquals(List.of(reply), ids(relations(root, "").get("chunk")));
        JsonNode recursive = relations(root, "?recurse=true");
        assertEquals(List.of(reaction, reply), ids(recursive.get("chunk")));
        assertEquals(3, recursive.get("recursion_depth").asInt());
        assertFalse(relations(root, "").has("recursion_depth"));
    }

    @Test
    void aThreadRootBundlesItsLatestEventCountAndTheViewersParticipation() {
        String root = node.sendText(roomId, alice, "root", "root");
        inThread(root, bob, "one");
        String latest = inThread(root, bob, "two");

        JsonNode thread = event(root, carol).at("/unsigned/m.relations/m.thread");
        assertEquals(latest, thread.at("/latest_event/event_id").asText());
        assertEquals(2, thread.get("count").asInt());
        assertFalse(thread.get("current_user_participated").asBoolean());
        assertTrue(event(root, bob).at("/unsigned/m.relations/m.thread/current_user_participated").asBoolean());
        assertTrue(event(root, alice).at("/unsigned/m.relations/m.thread/current_user_participated").asBoolean());

        JsonNode messages = node.get(room(roomId) + "/messages?dir=b&limit=50", carol).body().get("chunk");
        assertEquals(2, find(messages, root).at("/unsigned/m.relations/m.thread/count").asInt());
        JsonNode sync = node.get("/_matrix/client/v3/sync?filter=" + encode("{\"room\": {\"timeline\": {\"limit\": 50}}}"),
                carol).body();
        JsonNode timeline = sync.path("rooms").path("join").path(roomId).path("timeline").path("events");
        assertEquals(latest, find(timeline, root).at("/unsigned/m.relations/m.thread/latest_event/event_id").asText());
    }

    @Test
    void theThreadListIsOrderedByLatestActivityAndFiltersByParticipation() {
        String older = node.sendText(roomId, alice, "a", "older root");
        String newer = node.sendText(roomId, carol, "b", "newer root");
        inThread(older, alice, "x");
        inThread(newer, carol, "y");
        inThread(older, alice, "z");

        JsonNode all = threads("");
        assertEquals(List.of(older, newer), ids(all.get("chunk")));
        assertEquals(2, all.get("chunk").get(0).at("/unsigned/m.relations/m.thread/count").asInt());
        assertEquals(List.of(newer), ids(threads("?include=participated", carol).get("chunk")));
        assertEquals(List.of(), ids(threads("?include=participated", bob).get("chunk")));

        JsonNode page = threads("?limit=1");
        assertEquals(List.of(older), ids(page.get("chunk")));
        assertEquals(List.of(newer), ids(threads("?limit=1&from=" + encode(page.get("next_batch").asText())).get("chunk")));
    }

    @Test
    void theLatestValidEditIsBundledAndNotOnceTheOriginalIsRedacted() {
        String original = node.sendText(roomId, alice, "o", "I like cake");
        String edit = edit(original, alice, "I like chocolate cake");
        edit(original, bob, "someone else's edit is not valid");
        JsonNode served = event(original, carol);
        assertEquals(edit, served.at("/unsigned/m.relations/m.replace/event_id").asText());
        assertEquals("I like cake", served.at("/content/body").asText(), "the original content is left intact");

        assertEquals(200, node.put(room(roomId) + "/redact/" + encode(original) + "/r", "{}", alice).status());
        assertTrue(event(original, carol).at("/unsigned/m.relations/m.replace").isMissingNode());
    }

    @Test
    void aRedactedChildLeavesTheAggregationAndTheRelations() {
        String root = node.sendText(roomId, alice, "root", "root");
        String first = inThread(root, bob, "one");
        String second = inThread(root, bob, "two");
        assertEquals(200, node.put(room(roomId) + "/redact/" + encode(second) + "/r", "{}", bob).status());
        assertEquals(List.of(first), ids(relations(root, "").get("chunk")));
        JsonNode thread = event(root, alice).at("/unsigned/m.relations/m.thread");
        assertEquals(1, thread.get("count").asInt());
        assertEquals(first, thread.at("/latest_event/event_id").asText());
    }

    @Test
    void aThreadCannotStartFromAnEventThatItselfRelatesToAnother() {
        String root = node.sendText(roomId, alice, "root", "root");
        String reply = inThread(root, bob, "reply");
        String content = "{\"msgtype\": \"m.text\", \"body\": \"x\", \"m.relates_to\": {\"rel_type\": \"m.thread\","
                + " \"event_id\": \"" + reply + "\"}}";
        RoomsTestNode.Reply refused = node.put(room(roomId) + "/send/m.room.message/nested", content, carol);
        assertEquals(400, refused.status());
        assertEquals("M_UNKNOWN", refused.errcode());
    }

    @Test
    void referencesAreBundledAsAChunkOfEventIds() {
        String parent = node.sendText(roomId, alice, "p", "poll");
        String one = related(parent, bob, "m.reference", "vote");
        String two = related(parent, carol, "m.reference", "vote");
        JsonNode chunk = event(parent, alice).at("/unsigned/m.relations/m.reference/chunk");
        assertEquals(List.of(one, two), ids(chunk));
    }

    @Test
    void threadCountIgnoresEventsHiddenFromTheUser() {
        roomId = node.createRoom(alice, """
                {"preset": "public_chat", "initial_state": [{"type": "m.room.history_visibility", "state_key": "",
                 "content": {"history_visibility": "joined"}}]}""");
        String dave = node.userWithToken("dave", "pw");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", dave).status());
        String root = node.sendText(roomId, alice, "root", "root");
        assertEquals(200, node.post(room(roomId) + "/leave", "{}", dave).status());
        inThread(root, alice, "while dave was away");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", dave).status());
        String seen = inThread(root, alice, "after dave came back");

        JsonNode forDave = event(root, dave).at("/unsigned/m.relations/m.thread");
        assertEquals(1, forDave.get("count").asInt(), forDave.toString());
        assertEquals(seen, forDave.at("/latest_event/event_id").asText());
        assertEquals(2, event(root, alice).at("/unsigned/m.relations/m.thread/count").asInt());
        JsonNode listed = find(threads("", dave).get("chunk"), root);
        assertEquals(1, listed.at("/unsigned/m.relations/m.thread/count").asInt());
        JsonNode sync = node.get("/_matrix/client/v3/sync", dave).body();
        JsonNode timeline = sync.path("rooms").path("join").path(roomId).path("timeline").path("events");
        assertEquals(1, find(timeline, root).at("/unsigned/m.relations/m.thread/count").asInt(), timeline.toString());

        // After Dave leaves for good, the summary he reads stops at his leave.
        assertEquals(200, node.post(room(roomId) + "/leave", "{}", dave).status());
        inThread(root, alice, "after dave left");
        JsonNode afterLeave = event(root, dave).at("/unsigned/m.relations/m.thread");
        assertEquals(1, afterLeave.get("count").asInt(), afterLeave.toString());
        assertEquals(seen, afterLeave.at("/latest_event/event_id").asText());
        assertEquals(List.of(seen), ids(relations(root, "/m.thread", dave).get("chunk")));
    }

    @Test
    void badParametersAreInvalidAndAnUnknownParentIsNotFound() {
        String root = node.sendText(roomId, alice, "root", "root");
        String path = V1 + encode(roomId) + "/relations/" + encode(root);
        assertEquals("M_INVALID_PARAM", node.get(path + "?dir=sideways", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(path + "?limit=0", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(path + "?recurse=maybe", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(path + "?from=nonsense", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(V1 + encode(roomId) + "/threads?include=some", alice).errcode());
        RoomsTestNode.Reply unknown = node.get(V1 + encode(roomId) + "/relations/" + encode("$nosuchevent"), alice);
        assertEquals(404, unknown.status());
        assertEquals("M_NOT_FOUND", unknown.errcode());
        String dave = node.userWithToken("dave", "pw");
        assertEquals("M_FORBIDDEN", node.get(path, dave).errcode());
    }

    @Test
    void underJoinedVisibilityWhatWasSentWhileTheViewerWasAwayIsLeftOutOfRelationsThreadsAndAggregations() {
        assertEquals(200, node.put(room(roomId) + "/state/m.room.history_visibility/",
                "{\"history_visibility\": \"joined\"}", alice).status());
        String root = node.sendText(roomId, alice, "root", "root");
        assertEquals(200, node.post(room(roomId) + "/leave", "{}", bob).status());
        String hiddenEdit = edit(root, alice, "edited while bob was away");
        String hiddenReply = inThread(root, alice, "while bob was away");
        String hiddenReference = related(root, alice, "m.reference", "reference while bob was away");
        String hiddenRoot = node.sendText(roomId, alice, "hidden-root", "hidden root");
        inThread(hiddenRoot, alice, "in the hidden thread");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());
        String seenReply = inThread(root, alice, "bob is back");

        assertEquals(List.of(seenReply), ids(relations(root, "", bob).get("chunk")));
        assertEquals(4, relations(root, "", alice).get("chunk").size(), "the sender sees every child");

        JsonNode bundled = event(root, bob).at("/unsigned/m.relations");
        assertEquals(seenReply, bundled.at("/m.thread/latest_event/event_id").asText(), bundled.toString());
        assertFalse(bundled.has("m.replace"), "an edit bob could not see is not bundled: " + bundled);
        assertFalse(bundled.has("m.reference"), "nor a reference: " + bundled);
        JsonNode forAlice = event(root, alice).at("/unsigned/m.relations");
        assertEquals(hiddenEdit, forAlice.at("/m.replace/event_id").asText(), forAlice.toString());
        assertEquals(hiddenReference, forAlice.at("/m.reference/chunk/0/event_id").asText(), forAlice.toString());

        assertEquals(List.of(root), ids(threads("", bob).get("chunk")));
        assertTrue(ids(threads("", alice).get("chunk")).contains(hiddenRoot));

        RoomsTestNode.Reply hiddenParent = node.get(V1 + encode(roomId) + "/relations/" + encode(hiddenRoot), bob);
        assertEquals(404, hiddenParent.status(), hiddenParent.body().toString());
        assertEquals("M_NOT_FOUND", hiddenParent.errcode());
        assertEquals("M_NOT_FOUND", node.get(room(roomId) + "/event/" + encode(hiddenReply), bob).errcode());
    }

    private String inThread(String root, String token, String body) {
        return related(root, token, "m.thread", body);
    }

    private String related(String parent, String token, String relType, String body) {
        String content = "{\"msgtype\": \"m.text\", \"body\": \"" + body + "\", \"m.relates_to\": {\"rel_type\": \""
                + relType + "\", \"event_id\": \"" + parent + "\"}}";
        return send(token, content);
    }

    private String edit(String original, String token, String body) {
        String content = "{\"msgtype\": \"m.text\", \"body\": \"* " + body + "\", \"m.new_content\": {\"msgtype\": \"m.text\","
                + " \"body\": \"" + body + "\"}, \"m.relates_to\": {\"rel_type\": \"m.replace\", \"event_id\": \""
                + original + "\"}}";
        return send(token, content);
    }

    private String send(String token, String content) {
        RoomsTestNode.Reply sent = node.put(room(roomId) + "/send/m.room.message/rel" + (txn++), content, token);
        assertEquals(200, sent.status(), sent.body().toString());
        return sent.body().get("event_id").asText();
    }

    private JsonNode relations(String parent, String rest) {
        return relations(parent, rest, alice);
    }

    private JsonNode relations(String parent, String rest, String token) {
        RoomsTestNode.Reply reply = node.get(V1 + encode(roomId) + "/relations/" + encode(parent) + rest, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private JsonNode threads(String query) {
        return threads(query, alice);
    }

    private JsonNode threads(String query, String token) {
        RoomsTestNode.Reply reply = node.get(V1 + encode(roomId) + "/threads" + query, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private JsonNode event(String eventId, String token) {
        RoomsTestNode.Reply reply = node.get(room(roomId) + "/event/" + encode(eventId), token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private static JsonNode find(JsonNode events, String eventId) {
        for (JsonNode event : events) {
            if (event.path("event_id").asText().equals(eventId)) {
                return event;
            }
        }
        throw new AssertionError(eventId + " not among " + events);
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(event -> ids.add(event.get("event_id").asText()));
        return ids;
    }
}
