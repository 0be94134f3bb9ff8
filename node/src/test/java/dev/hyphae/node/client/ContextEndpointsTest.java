package dev.hyphae.node.client;

import static dev.hyphae.node.client.RoomsTestNode.encode;
import static dev.hyphae.node.client.RoomsTestNode.room;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextEndpointsTest {
    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String roomId;
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        roomId = node.createRoom(alice, "{\"name\": \"Context\"}");
        for (int i = 0; i < 7; i++) {
            sent.add(node.sendText(roomId, alice, "m" + i, "message " + i));
        }
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void theLimitIsSharedBetweenEventsBeforeNewestFirstAndEventsAfterOldestFirst() {
        JsonNode context = context(sent.get(3), "?limit=4");
        assertEquals(sent.get(3), context.get("event").get("event_id").asText());
        assertEquals(List.of(sent.get(2), sent.get(1)), ids(context.get("events_before")));
        assertEquals(List.of(sent.get(4), sent.get(5)), ids(context.get("events_after")));
    }

    @Test
    void startAndEndTokensContinueInMessagesWithoutGapsOrRepeats() {
        JsonNode context = context(sent.get(3), "?limit=4");
        JsonNode older = node.get(room(roomId) + "/messages?dir=b&limit=1&from="
                + encode(context.get("start").asText()), alice).body().get("chunk");
        assertEquals(List.of(sent.get(0)), ids(older));
        JsonNode newer = node.get(room(roomId) + "/messages?dir=f&limit=5&from="
                + encode(context.get("end").asText()), alice).body().get("chunk");
        assertEquals(List.of(sent.get(6)), ids(newer));
    }

    @Test
    void theStateIsTheRoomStateAtTheLastEventReturnedAndTheFilterNarrowsItButNotTheEvent() {
        JsonNode context = context(sent.get(3), "?limit=2");
        List<String> types = new ArrayList<>();
        context.get("state").forEach(event -> types.add(event.get("type").asText()));
        assertTrue(types.containsAll(List.of("m.room.create", "m.room.member", "m.room.name")), types.toString());

        JsonNode filtered = context(sent.get(3), "?limit=4&filter=" + encode("{\"not_types\": [\"m.room.message\"]}"));
        assertEquals(0, filtered.get("events_before").size());
        assertEquals(0, filtered.get("events_after").size());
        assertEquals(sent.get(3), filtered.get("event").get("event_id").asText());
    }

    @Test
    void aZeroLimitReturnsOnlyTheEvent() {
        JsonNode context = context(sent.get(6), "?limit=0");
        assertEquals(0, context.get("events_before").size());
        assertEquals(0, context.get("events_after").size());
    }

    @Test
    void anUnknownEventIsNotFoundAndABadLimitIsInvalid() {
        RoomsTestNode.Reply unknown = node.get(room(roomId) + "/context/" + encode("$nosuchevent"), alice);
        assertEquals(404, unknown.status());
        assertEquals("M_NOT_FOUND", unknown.errcode());
        assertEquals("M_INVALID_PARAM", node.get(room(roomId) + "/context/" + encode(sent.get(0)) + "?limit=-1",
                alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(room(roomId) + "/context/" + encode(sent.get(0)) + "?limit=ten",
                alice).errcode());
        String bob = node.userWithToken("bob", "pw");
        assertEquals("M_FORBIDDEN", node.get(room(roomId) + "/context/" + encode(sent.get(0)), bob).errcode());
    }

    @Test
    void underJoinedVisibilityEventsBeforeTheViewersJoinAreNeitherTheEventNorItsContext() {
        String publicRoom = node.createRoom(alice, """
                {"preset": "public_chat", "initial_state": [{"type": "m.room.history_visibility", "state_key": "",
                 "content": {"history_visibility": "joined"}}]}""");
        String early = node.sendText(publicRoom, alice, "early", "before bob");
        String bob = node.userWithToken("bob", "pw");
        assertEquals(200, node.post(room(publicRoom) + "/join", "{}", bob).status());
        String late = node.sendText(publicRoom, alice, "late", "after bob");

        RoomsTestNode.Reply hidden = node.get(room(publicRoom) + "/context/" + encode(early), bob);
        assertEquals(404, hidden.status(), hidden.body().toString());
        assertEquals("M_NOT_FOUND", hidden.errcode());
        RoomsTestNode.Reply seen = node.get(room(publicRoom) + "/context/" + encode(late) + "?limit=20", bob);
        assertEquals(200, seen.status(), seen.body().toString());
        List<String> before = ids(seen.body().get("events_before"));
        assertTrue(!before.contains(early) && !before.isEmpty(), before.toString());
        assertTrue(ids(node.get(room(publicRoom) + "/context/" + encode(late) + "?limit=20", alice).body()
                .get("events_before")).contains(early), "the sender saw it");
    }

    private JsonNode context(String eventId, String query) {
        RoomsTestNode.Reply reply = node.get(room(roomId) + "/context/" + encode(eventId) + query, alice);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(event -> ids.add(event.get("event_id").asText()));
        return ids;
    }
}
