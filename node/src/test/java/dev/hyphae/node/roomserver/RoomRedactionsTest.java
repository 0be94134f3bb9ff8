package dev.hyphae.node.roomserver;

import static dev.hyphae.node.client.RoomsTestNode.encode;
import static dev.hyphae.node.client.RoomsTestNode.room;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redactions take effect: the stored event is pruned and every client read serves it redacted. */
class RoomRedactionsTest {
    private static final String SYNC_FILTER = encode("{\"room\": {\"timeline\": {\"limit\": 50}}}");

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aRedactedMessageIsServedRedactedWithRedactedBecauseEverywhereClientsReadIt() {
        String roomId = node.createRoom(alice, "{}");
        String message = node.sendText(roomId, alice, "t1", "secret words");
        String redaction = redact(roomId, message, alice);

        assertRedacted(node.get(room(roomId) + "/event/" + encode(message), alice).body(), redaction);
        assertRedacted(find(node.get(room(roomId) + "/messages?dir=b&limit=50", alice).body().get("chunk"), message),
                redaction);
        JsonNode sync = node.get("/_matrix/client/v3/sync?filter=" + SYNC_FILTER, alice).body();
        assertRedacted(find(sync.at("/rooms/join/" + jsonPointer(roomId) + "/timeline/events"), message), redaction);
        assertRedacted(node.get(room(roomId) + "/context/" + encode(message), alice).body().get("event"), redaction);
    }

    @Test
    void theStoreKeepsOnlyTheRedactedFormWithItsHashesAndSignatures() {
        String roomId = node.createRoom(alice, "{}");
        String message = node.sendText(roomId, alice, "t1", "secret words");
        redact(roomId, message, alice);
        String json = node.store.read(tx -> tx.events().get(message)).orElseThrow().json();
        assertFalse(json.contains("secret words"), json);
        assertTrue(json.contains("\"hashes\"") && json.contains("\"signatures\""), json);
    }

    @Test
    void aRedactedStateEventIsServedRedactedInTheRoomState() {
        String roomId = node.createRoom(alice, "{}");
        String topic = node.put(room(roomId) + "/state/m.room.topic/", "{\"topic\": \"Moss\"}", alice).body()
                .get("event_id").asText();
        String redaction = redact(roomId, topic, alice);
        assertEquals(0, node.get(room(roomId) + "/state/m.room.topic/", alice).body().size());
        assertRedacted(find(node.get(room(roomId) + "/state", alice).body(), topic), redaction);
    }

    @Test
    void theRedactionEventItselfStaysVisibleAndNamesTheEvent() {
        String roomId = node.createRoom(alice, "{}");
        String message = node.sendText(roomId, alice, "t1", "oops");
        String redaction = redact(roomId, message, alice);
        JsonNode served = find(node.get(room(roomId) + "/messages?dir=b&limit=50", alice).body().get("chunk"), redaction);
        assertEquals(message, served.get("redacts").asText());
    }

    private String redact(String roomId, String eventId, String token) {
        RoomsTestNode.Reply reply = node.put(room(roomId) + "/redact/" + encode(eventId) + "/r" + eventId.hashCode(),
                "{\"reason\": \"spam\"}", token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body().get("event_id").asText();
    }

    private static void assertRedacted(JsonNode event, String redactionId) {
        assertEquals(0, event.get("content").size(), event.toString());
        assertEquals(redactionId, event.at("/unsigned/redacted_because/event_id").asText(), event.toString());
        assertEquals("spam", event.at("/unsigned/redacted_because/content/reason").asText(), event.toString());
    }

    private static JsonNode find(JsonNode events, String eventId) {
        List<String> seen = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.path("event_id").asText().equals(eventId)) {
                return event;
            }
            seen.add(event.path("event_id").asText());
        }
        throw new AssertionError(eventId + " not among " + seen);
    }

    private static String jsonPointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
