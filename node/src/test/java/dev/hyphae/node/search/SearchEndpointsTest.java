package dev.hyphae.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RoomsTestNode;
import dev.hyphae.node.event.Pdu;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchEndpointsTest {
    private static final String SEARCH = "/_matrix/client/v3/search";

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

    private RoomsTestNode.Reply search(String token, String criteria) {
        return search(token, criteria, null);
    }

    private RoomsTestNode.Reply search(String token, String criteria, String nextBatch) {
        String path = nextBatch == null ? SEARCH : SEARCH + "?next_batch=" + RoomsTestNode.encode(nextBatch);
        return node.post(path, "{\"search_categories\": {\"room_events\": " + criteria + "}}", token);
    }

    private JsonNode roomEvents(String token, String criteria) {
        RoomsTestNode.Reply reply = search(token, criteria);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body().path("search_categories").path("room_events");
    }

    private static List<String> resultIds(JsonNode roomEvents) {
        List<String> ids = new ArrayList<>();
        roomEvents.path("results").forEach(result -> ids.add(result.path("result").path("event_id").asText()));
        return ids;
    }

    private static String term(String words) {
        return "{\"search_term\": \"" + words + "\"}";
    }

    private void join(String roomId, String token) {
        RoomsTestNode.Reply joined = node.post(RoomsTestNode.room(roomId) + "/join", "{}", token);
        assertEquals(200, joined.status(), joined.body().toString());
    }

    @Test
    void messageBodiesRoomNamesAndTopicsAreFoundByTheirWords() {
        String roomId = node.createRoom(alice, "{\"name\": \"Fern Garden\", \"topic\": \"Moss and ferns\"}");
        String message = node.sendText(roomId, alice, "t1", "The Martians are landing near the garden");
        node.sendText(roomId, alice, "t2", "nothing to see");

        JsonNode found = roomEvents(alice, term("martians LANDING"));
        assertEquals(List.of(message), resultIds(found));
        assertEquals(roomId, found.path("results").get(0).path("result").path("room_id").asText());
        assertEquals(1, found.path("count").asInt());

        JsonNode names = roomEvents(alice, "{\"search_term\": \"garden\", \"keys\": [\"content.name\"]}");
        assertEquals(List.of("m.room.name"), types(names));
        JsonNode topics = roomEvents(alice, "{\"search_term\": \"moss\", \"keys\": [\"content.topic\"]}");
        assertEquals(List.of("m.room.topic"), types(topics));
        JsonNode all = roomEvents(alice, term("garden"));
        assertEquals(Set.of("m.room.name", "m.room.message"), new HashSet<>(types(all)));
    }

    private static List<String> types(JsonNode roomEvents) {
        List<String> types = new ArrayList<>();
        roomEvents.path("results").forEach(result -> types.add(result.path("result").path("type").asText()));
        return types;
    }

    @Test
    void highlightsHoldTheTermsAndTheWordsAsWrittenInResults() {
        String roomId = node.createRoom(alice, "{}");
        node.sendText(roomId, alice, "t1", "Café society");
        JsonNode found = roomEvents(alice, term("cafe"));
        List<String> highlights = new ArrayList<>();
        found.path("highlights").forEach(word -> highlights.add(word.asText()));
        assertEquals(List.of("cafe", "Café"), highlights);
    }

    @Test
    void roomsTheUserWasNeverInAreNotSearched() {
        String roomId = node.createRoom(alice, "{}");
        node.sendText(roomId, alice, "t1", "private plans");
        JsonNode found = roomEvents(bob, term("plans"));
        assertEquals(List.of(), resultIds(found));
        assertEquals(0, found.path("count").asInt());
    }

    @Test
    void eventsAfterTheUserLeftAreNotFoundButEarlierOnesAre() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        join(roomId, bob);
        String before = node.sendText(roomId, alice, "t1", "apple before");
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/leave", "{}", bob).status());
        node.sendText(roomId, alice, "t2", "apple after");
        assertEquals(List.of(before), resultIds(roomEvents(bob, term("apple"))));
        assertEquals(2, resultIds(roomEvents(alice, term("apple"))).size());
    }

    @Test
    void joinedHistoryVisibilityHidesWhatWasSentBeforeTheUserJoined() {
        String roomId = node.createRoom(alice, """
                {"preset": "public_chat", "initial_state": [{"type": "m.room.history_visibility", "state_key": "",
                 "content": {"history_visibility": "joined"}}]}""");
        node.sendText(roomId, alice, "t1", "pear early");
        join(roomId, bob);
        String late = node.sendText(roomId, alice, "t2", "pear late");
        assertEquals(List.of(late), resultIds(roomEvents(bob, term("pear"))));
    }

    @Test
    void countIsExactOverAllPagesAndLeavesOutWhatTheUserMayNotSeeOrTheFilterDrops() {
        String roomId = node.createRoom(alice, """
                {"preset": "public_chat", "initial_state": [{"type": "m.room.history_visibility", "state_key": "",
                 "content": {"history_visibility": "joined"}}]}""");
        node.sendText(roomId, alice, "t1", "quince hidden one");
        node.sendText(roomId, alice, "t2", "quince hidden two");
        join(roomId, bob);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(node.sendText(roomId, alice, "s" + i, "quince seen " + i));
        }
        String redacted = node.sendText(roomId, alice, "s3", "quince redacted");
        assertEquals(200, node.put(RoomsTestNode.room(roomId) + "/redact/" + RoomsTestNode.encode(redacted) + "/r1",
                "{}", alice).status());
        node.sendText(roomId, bob, "b1", "quince from bob");

        JsonNode firstPage = roomEvents(bob, "{\"search_term\": \"quince\", \"filter\": {\"limit\": 2}}");
        assertEquals(4, firstPage.path("count").asInt(), "three of alice's after bob joined and bob's own");
        assertEquals(2, firstPage.path("results").size());
        RoomsTestNode.Reply secondPage = search(bob, "{\"search_term\": \"quince\", \"filter\": {\"limit\": 2}}",
                firstPage.path("next_batch").asText());
        assertEquals(4, secondPage.body().path("search_categories").path("room_events").path("count").asInt(),
                "the count is of every page, not of the pages left");

        JsonNode withoutBob = roomEvents(bob, "{\"search_term\": \"quince\", \"filter\": {\"not_senders\": [\""
                + node.userId("bob") + "\"]}}");
        assertEquals(3, withoutBob.path("count").asInt());
        assertEquals(new HashSet<>(seen), new HashSet<>(resultIds(withoutBob)));
        assertEquals(6, roomEvents(alice, term("quince")).path("count").asInt(), "alice sees all but the redacted one");
    }

    @Test
    void sharedHistoryIsFoundOnceTheUserHasJoined() {
        String roomId = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        String early = node.sendText(roomId, alice, "t1", "plum early");
        assertEquals(List.of(), resultIds(roomEvents(bob, term("plum"))));
        join(roomId, bob);
        assertEquals(List.of(early), resultIds(roomEvents(bob, term("plum"))));
    }

    @Test
    void encryptedRoomsAreNotSearched() {
        String roomId = node.createRoom(alice, """
                {"initial_state": [{"type": "m.room.encryption", "state_key": "",
                 "content": {"algorithm": "m.megolm.v1.aes-sha2"}}], "name": "Secret kiwi"}""");
        node.sendText(roomId, alice, "t1", "kiwi in plaintext");
        assertEquals(List.of(), resultIds(roomEvents(alice, term("kiwi"))));
    }

    @Test
    void recentOrderPagesNewestFirstWithoutRepeatsUntilNoNextBatch() {
        String roomId = node.createRoom(alice, "{}");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(node.sendText(roomId, alice, "t" + i, "grape number " + i));
        }
        String criteria = "{\"search_term\": \"grape\", \"order_by\": \"recent\", \"filter\": {\"limit\": 2}}";
        List<String> seen = new ArrayList<>();
        String nextBatch = null;
        int pages = 0;
        do {
            RoomsTestNode.Reply reply = search(alice, criteria, nextBatch);
            assertEquals(200, reply.status(), reply.body().toString());
            JsonNode page = reply.body().path("search_categories").path("room_events");
            assertTrue(page.path("results").size() <= 2);
            seen.addAll(resultIds(page));
            nextBatch = page.has("next_batch") ? page.get("next_batch").asText() : null;
            pages++;
        } while (nextBatch != null && pages < 10);
        List<String> newestFirst = new ArrayList<>(sent);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }

    @Test
    void rankOrderPutsTheBetterMatchFirstAndPagesByOffset() {
        String roomId = node.createRoom(alice, "{}");
        String weak = node.sendText(roomId, alice, "t1", "lemon is one word among a great many other words here");
        String strong = node.sendText(roomId, alice, "t2", "lemon lemon lemon");
        JsonNode first = roomEvents(alice, "{\"search_term\": \"lemon\", \"filter\": {\"limit\": 1}}");
        assertEquals(List.of(strong), resultIds(first));
        RoomsTestNode.Reply second = search(alice, "{\"search_term\": \"lemon\", \"filter\": {\"limit\": 1}}",
                first.get("next_batch").asText());
        assertEquals(List.of(weak), resultIds(second.body().path("search_categories").path("room_events")));
        JsonNode both = roomEvents(alice, term("lemon"));
        assertTrue(both.path("results").get(0).path("rank").asDouble() > both.path("results").get(1).path("rank").asDouble());
    }

    @Test
    void theFilterNarrowsBySenderAndRoom() {
        String first = node.createRoom(alice, "{\"preset\": \"public_chat\"}");
        String second = node.createRoom(alice, "{}");
        join(first, bob);
        String fromBob = node.sendText(first, bob, "t1", "melon bob");
        node.sendText(first, alice, "t2", "melon alice");
        String inSecond = node.sendText(second, alice, "t3", "melon elsewhere");
        String bobId = node.userId("bob");
        assertEquals(List.of(fromBob), resultIds(roomEvents(alice,
                "{\"search_term\": \"melon\", \"filter\": {\"senders\": [\"" + bobId + "\"]}}")));
        assertEquals(List.of(inSecond), resultIds(roomEvents(alice,
                "{\"search_term\": \"melon\", \"filter\": {\"rooms\": [\"" + second + "\"]}}")));
        assertEquals(2, resultIds(roomEvents(alice,
                "{\"search_term\": \"melon\", \"filter\": {\"not_rooms\": [\"" + second + "\"]}}")).size());
    }

    @Test
    void groupsByRoomAndSenderListTheResultsAndTheirNextBatchStaysInTheGroup() {
        String first = node.createRoom(alice, "{}");
        String second = node.createRoom(alice, "{}");
        String a1 = node.sendText(first, alice, "t1", "cherry one");
        String a2 = node.sendText(first, alice, "t2", "cherry two");
        String b1 = node.sendText(second, alice, "t3", "cherry three");
        JsonNode grouped = roomEvents(alice, """
                {"search_term": "cherry", "order_by": "recent", "filter": {"limit": 2},
                 "groupings": {"group_by": [{"key": "room_id"}, {"key": "sender"}]}}""");
        assertEquals(List.of(b1, a2), resultIds(grouped));
        JsonNode byRoom = grouped.path("groups").path("room_id");
        assertEquals(b1, byRoom.path(second).path("results").get(0).asText());
        assertEquals(1, byRoom.path(second).path("order").asInt());
        assertEquals(2, byRoom.path(first).path("order").asInt());
        assertEquals(2, grouped.path("groups").path("sender").path(node.userId("alice")).path("results").size());

        String inFirst = byRoom.path(first).path("next_batch").asText();
        RoomsTestNode.Reply more = search(alice, """
                {"search_term": "cherry", "order_by": "recent", "filter": {"limit": 2},
                 "groupings": {"group_by": [{"key": "room_id"}]}}""", inFirst);
        assertEquals(List.of(a1), resultIds(more.body().path("search_categories").path("room_events")));
    }

    @Test
    void eventContextGivesTheEventsAroundAndTheSendersProfiles() {
        String roomId = node.createRoom(alice, "{}");
        String before = node.sendText(roomId, alice, "t1", "first");
        String hit = node.sendText(roomId, alice, "t2", "orange");
        String after = node.sendText(roomId, alice, "t3", "third");
        JsonNode found = roomEvents(alice, """
                {"search_term": "orange", "event_context": {"before_limit": 1, "after_limit": 1,
                 "include_profile": true}}""");
        JsonNode context = found.path("results").get(0).path("context");
        assertEquals(before, context.path("events_before").get(0).path("event_id").asText());
        assertEquals(1, context.path("events_before").size());
        assertEquals(after, context.path("events_after").get(0).path("event_id").asText());
        assertTrue(context.has("start") && context.has("end"));
        assertTrue(context.path("profile_info").has(node.userId("alice")), context.toString());
        assertEquals(hit, found.path("results").get(0).path("result").path("event_id").asText());

        RoomsTestNode.Reply page = node.get(RoomsTestNode.room(roomId) + "/messages?dir=b&limit=1&from="
                + RoomsTestNode.encode(context.path("start").asText()), alice);
        assertFalse(page.body().path("chunk").isEmpty());
        assertFalse(List.of(before, hit).contains(page.body().path("chunk").get(0).path("event_id").asText()));
    }

    @Test
    void includeStateGivesTheCurrentStateOfTheResultsRooms() {
        String roomId = node.createRoom(alice, "{\"name\": \"Quince\"}");
        node.sendText(roomId, alice, "t1", "quince jelly");
        JsonNode found = roomEvents(alice, "{\"search_term\": \"jelly\", \"include_state\": true}");
        Set<String> types = new HashSet<>();
        found.path("state").path(roomId).forEach(event -> types.add(event.path("type").asText()));
        assertTrue(types.containsAll(Set.of("m.room.create", "m.room.name", "m.room.member")), types.toString());
    }

    @Test
    void aRedactedEventIsNotFoundEvenBeforeItLeavesTheIndex() {
        String roomId = node.createRoom(alice, "{}");
        String removed = node.sendText(roomId, alice, "t1", "banana gone");
        String redacted = node.sendText(roomId, alice, "t2", "banana redacted");
        String kept = node.sendText(roomId, alice, "t3", "banana kept");
        roomEvents(alice, term("banana"));
        node.store.write(tx -> EventIndexer.remove(tx, removed)).join();
        Pdu pdu = node.queries.event(redacted).orElseThrow().pdu().redacted();
        node.store.write(tx -> tx.events().replaceJson(redacted,
                new String(pdu.canonicalJson(), StandardCharsets.UTF_8))).join();
        assertEquals(List.of(kept), resultIds(roomEvents(alice, term("banana"))));
    }

    @Test
    void badRequestsAreRefusedWithTheSpecErrorCodes() {
        assertEquals("M_INVALID_PARAM", node.post(SEARCH, "{\"search_categories\": {\"messages\": {}}}", alice).errcode());
        assertEquals("M_BAD_JSON", node.post(SEARCH, "{}", alice).errcode());
        assertEquals("M_BAD_JSON", search(alice, "{}").errcode());
        assertEquals("M_BAD_JSON", search(alice, "{\"search_term\": 5}").errcode());
        assertEquals("M_INVALID_PARAM", search(alice, "{\"search_term\": \"x\", \"order_by\": \"best\"}").errcode());
        assertEquals("M_INVALID_PARAM", search(alice, "{\"search_term\": \"x\", \"keys\": [\"content.url\"]}").errcode());
        assertEquals("M_INVALID_PARAM", search(alice,
                "{\"search_term\": \"x\", \"groupings\": {\"group_by\": [{\"key\": \"type\"}]}}").errcode());
        assertEquals("M_BAD_JSON", search(alice, "{\"search_term\": \"x\", \"filter\": {\"limit\": \"many\"}}").errcode());
        assertEquals("M_INVALID_PARAM", search(alice, term("x"), "not-a-token").errcode());
        assertEquals("M_INVALID_PARAM", search(alice, term("x"), "czEKcmFuawotMQ").errcode());
        String recentToken = SearchBatchToken.of(dev.hyphae.store.EventSearch.Order.RECENT, 3).toString();
        assertEquals("M_INVALID_PARAM", search(alice, term("x"), recentToken).errcode());
        assertEquals(401, node.post(SEARCH, "{\"search_categories\": {}}", null).status());
    }

    @Test
    void aBodyWithoutCategoriesOrWithoutWordsFindsNothing() {
        RoomsTestNode.Reply none = node.post(SEARCH, "{\"search_categories\": {}}", alice);
        assertEquals(200, none.status());
        assertTrue(none.body().path("search_categories").isEmpty());
        JsonNode punctuation = roomEvents(alice, term("?!"));
        assertEquals(0, punctuation.path("results").size());
        assertFalse(punctuation.has("next_batch"));
    }
}
