package dev.hyphae.node.federation.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.outbound.FederationSender;
import dev.hyphae.node.federation.outbound.OutboundSettings;
import dev.hyphae.node.federation.outbound.RecordingFederationClient;
import dev.hyphae.node.federation.outbound.ServerServerSchemas;
import dev.hyphae.store.ToDeviceMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Send-to-device between two nodes: out as an m.direct_to_device EDU, in to the recipient's inbox. */
class FederatedToDeviceTest {
    @TempDir
    Path senderDirectory;
    @TempDir
    Path receiverDirectory;

    private FederatedE2eeFixture sending;
    private FederatedE2eeFixture receiving;
    private final RecordingFederationClient client = new RecordingFederationClient();
    private FederationSender federationSender;
    private final List<String> woken = new CopyOnWriteArrayList<>();
    private DirectToDeviceReceiver receiver;
    private String carol;

    @BeforeEach
    void open() {
        sending = new FederatedE2eeFixture(senderDirectory, (byte) 1);
        receiving = new FederatedE2eeFixture(receiverDirectory, (byte) 2);
        carol = "@carol:" + receiving.server;
        receiving.registerDevice(carol, "CAROLDEV", null);
        receiver = new DirectToDeviceReceiver(receiving.e2ee.toDeviceMessages(), woken::add);
        federationSender = new FederationSender(sending.store, client, sending.server,
                OutboundSettings.defaults().withSweepInterval(Duration.ofMillis(30)), Clock.systemUTC(), new Random());
        federationSender.start();
    }

    @AfterEach
    void close() {
        federationSender.close();
        sending.close();
        receiving.close();
    }

    private List<ToDeviceMessage> carolsInbox() {
        return receiving.store.read(tx -> tx.toDeviceInbox().after(carol, "CAROLDEV", 0, 10));
    }

    @Test
    void aToDeviceMessageForARemoteUserArrivesAsAnEduAndLandsInTheRecipientsInbox() throws Exception {
        ObjectNode messages = JsonNodeFactory.instance.objectNode();
        messages.putObject(carol).putObject("CAROLDEV").put("ciphertext", "secret");
        sending.e2ee.toDeviceMessages().send(sending.alice, "m.room.encrypted", messages).join();

        client.await("the EDU", () -> client.acceptedEdus(receiving.server).size() == 1);
        JsonNode edu = client.acceptedEdus(receiving.server).get(0);
        assertEquals("m.direct_to_device", edu.get("edu_type").asText());
        assertEquals(sending.alice, edu.path("content").path("sender").asText());
        assertEquals("m.room.encrypted", edu.path("content").path("type").asText());
        assertTrue(edu.path("content").path("message_id").isTextual());
        ServerServerSchemas.load().assertValid("definitions/event-schemas/m.direct_to_device.yaml", edu);

        receiver.receive(sending.server, edu.get("content"));
        List<ToDeviceMessage> inbox = carolsInbox();
        assertEquals(1, inbox.size());
        assertEquals(sending.alice, inbox.get(0).sender());
        assertEquals("m.room.encrypted", inbox.get(0).type());
        assertEquals("{\"ciphertext\":\"secret\"}", inbox.get(0).contentJson());
        assertEquals(List.of(carol), woken);

        // The same message again (a resent transaction) is not delivered twice.
        receiver.receive(sending.server, edu.get("content"));
        assertEquals(1, carolsInbox().size());
    }

    @Test
    void aMessageClaimingASenderOfAnotherServerIsDropped() {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("sender", "@mallory:elsewhere.example");
        content.put("type", "m.room.encrypted");
        content.put("message_id", "m1");
        content.putObject("messages").putObject(carol).putObject("*").put("x", 1);
        receiver.receive(sending.server, content);
        receiver.receive(sending.server, JsonNodeFactory.instance.textNode("not an object"));
        assertTrue(carolsInbox().isEmpty());
        assertTrue(woken.isEmpty());
    }
}
