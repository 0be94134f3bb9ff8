package dev.hyphae.node.federation.rooms;

import static dev.hyphae.node.federation.rooms.FederationRoomsTest.assertAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.EventDraft;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.node.roomserver.RoomEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redactions received from another server ("Handling redactions"): applied when the sender has the
 * same server as the redacted event's sender or reaches the redact level, kept pending and hidden
 * from clients otherwise, and applied when the redacted event arrives after the redaction.
 */
class FederatedRedactionsTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void startNodes() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        alice = a.user("alice");
        bob = b.user("bob");
        roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));
        a.memberships.invite(roomId, alice, bob, null, false);
        b.memberships.join(roomId, bob, null, List.of());
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    @Test
    void aRemoteRedactionOfAnotherServersEventWithoutTheRedactLevelIsNeitherAppliedNorShown() {
        String message = a.sendText(roomId, alice, "stays");
        assertAccepted(a.push(b, message), message);
        String redaction = redact(b, bob, message);
        assertAccepted(b.push(a, redaction), redaction);

        assertEquals("stays", a.event(message).contentField("body").asText());
        assertEquals("stays", b.event(message).contentField("body").asText());
        assertFalse(a.timeline(roomId).contains(redaction), "a redaction the server does not apply is not sent to clients");
        assertFalse(b.timeline(roomId).contains(redaction));
    }

    @Test
    void aRemoteUserRedactingTheirOwnEventIsAppliedOnBothServers() {
        String message = b.sendText(roomId, bob, "regret");
        assertAccepted(b.push(a, message), message);
        String redaction = redact(b, bob, message);
        assertAccepted(b.push(a, redaction), redaction);

        for (FederatedTestNode node : List.of(a, b)) {
            assertTrue(node.event(message).field("content").isEmpty(), node.serverName);
            assertTrue(node.timeline(roomId).contains(redaction));
            RoomEvent stored = node.queries.event(message).orElseThrow();
            Aggregations aggregations = node.queries.aggregations(List.of(stored), alice).get(message);
            assertEquals(redaction, aggregations.redactedBecause().orElseThrow().eventId());
        }
    }

    @Test
    void theRoomAdminOfAnotherServerMayRedactAndTheRedactionIsAppliedWhereverItArrives() {
        String message = b.sendText(roomId, bob, "spam");
        assertAccepted(b.push(a, message), message);
        String redaction = redact(a, alice, message);
        assertAccepted(a.push(b, redaction), redaction);
        assertTrue(a.event(message).field("content").isEmpty());
        assertTrue(b.event(message).field("content").isEmpty());
    }

    @Test
    void aRedactionStoredBeforeItsEventIsAppliedWhenTheEventArrives() {
        String message = b.sendText(roomId, bob, "early");
        String redaction = redact(b, bob, message);
        RemoteEventWriter writer = new RemoteEventWriter(a.sender, Clock.systemUTC());
        Pdu redactionPdu = b.event(redaction);
        Pdu messagePdu = b.event(message);
        write(writer, redactionPdu);
        assertFalse(a.timeline(roomId).contains(redaction), "pending until its event is there");

        write(writer, messagePdu);
        assertTrue(a.event(message).field("content").isEmpty());
        assertTrue(a.timeline(roomId).contains(redaction));
    }

    /** Stores an event as accepted on A, leaving A's extremities and state as they are. */
    private void write(RemoteEventWriter writer, Pdu pdu) {
        writer.write(roomId, pdu, a.state(roomId), RemoteEventWriter.Outcome.ACCEPTED, null, a.extremities(roomId),
                a.state(roomId));
    }

    private String redact(FederatedTestNode node, String sender, String eventId) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("redacts", eventId).put("reason", "test");
        return node.sender.send(EventDraft.message(roomId, sender, "m.room.redaction", content)).eventId();
    }
}
