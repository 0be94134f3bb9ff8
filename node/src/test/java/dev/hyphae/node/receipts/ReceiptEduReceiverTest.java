package dev.hyphae.node.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.client.RoomsTestNode;
import dev.hyphae.store.StoredReceipt;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptEduReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAROL = "@carol:remote.example";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String roomId;
    private String eventId;
    private ReceiptEduReceiver receiver;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        roomId = node.createRoom(alice, "{}");
        eventId = node.sendText(roomId, alice, "t1", "hello");
        node.markRemoteMemberJoined(roomId, CAROL);
        receiver = new ReceiptEduReceiver(node.receipts, node.roomServers);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private JsonNode edu(String roomId, String type, String userId, String receipt) throws Exception {
        return JSON.readTree("{\"" + roomId + "\": {\"" + type + "\": {\"" + userId + "\": " + receipt + "}}}");
    }

    private String receipt(String eventId) {
        return "{\"event_ids\": [\"" + eventId + "\"], \"data\": {\"ts\": 1533358089009}}";
    }

    @Test
    void aRemoteMembersReceiptIsStoredAndSynced() throws Exception {
        receiver.receive("remote.example", edu(roomId, "m.read", CAROL, receipt(eventId)));
        List<StoredReceipt> stored = node.receipts.inRoom(roomId);
        assertEquals(1, stored.size());
        assertEquals(new StoredReceipt(roomId, "m.read", CAROL, null, eventId, 1533358089009L,
                stored.get(0).streamPosition()), stored.get(0));
        JsonNode sync = node.get("/_matrix/client/v3/sync", alice).body();
        assertTrue(ReceiptEndpointsTest.receiptsIn(sync, roomId).path(eventId).path("m.read").has(CAROL),
                sync.toString());
        // Receipts from elsewhere are not sent on.
        assertEquals(List.of(), node.eduOutbox.sent("m.receipt"));
    }

    @Test
    void aServerCannotSendReceiptsForAnotherServersUsers() throws Exception {
        receiver.receive("evil.example", edu(roomId, "m.read", CAROL, receipt(eventId)));
        receiver.receive("remote.example", edu(roomId, "m.read", node.userId("alice"), receipt(eventId)));
        assertEquals(List.of(), node.receipts.inRoom(roomId));
    }

    @Test
    void receiptsOfNonMembersPrivateTypesAndMalformedOnesAreDropped() throws Exception {
        receiver.receive("remote.example", edu(roomId, "m.read", "@dave:remote.example", receipt(eventId)));
        receiver.receive("remote.example", edu(roomId, "m.read.private", CAROL, receipt(eventId)));
        receiver.receive("remote.example", edu(roomId, "m.read", CAROL, "{\"event_ids\": []}"));
        receiver.receive("remote.example", edu(roomId, "m.read", CAROL,
                "{\"event_ids\": [\"" + eventId + "\"], \"data\": {\"ts\": 1, \"thread_id\": \"\"}}"));
        receiver.receive("remote.example", JSON.readTree("[1, 2]"));
        receiver.receive("remote.example", null);
        assertEquals(List.of(), node.receipts.inRoom(roomId));
    }
}
