package dev.hyphae.node.federation.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a node without warning right after it acknowledged sends, then restarts from its store:
 * every acknowledged event reaches the remote server, in order.
 */
class FederationQueueCrashIT {
    private static final int ACKS_BEFORE_KILL = 150;

    @TempDir
    Path dataDirectory;

    @Test
    void everyAcknowledgedEventIsDeliveredAfterTheNodeIsKilledAndRestarted() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AcknowledgingRoomSender.class.getName(), dataDirectory.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < ACKS_BEFORE_KILL && (line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.substring(4));
                }
            }
            // SIGKILL: no shutdown hooks, no close, sends possibly in flight.
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        } finally {
            process.destroyForcibly();
        }
        assertEquals(ACKS_BEFORE_KILL, acknowledged.size(), "the node stopped early");

        RecordingFederationClient client = new RecordingFederationClient();
        try (Store store = SqliteStore.openInDirectory(dataDirectory);
                FederationSender sender = new FederationSender(store, client, "local.onion",
                        OutboundSettings.defaults().withSweepInterval(Duration.ofMillis(50)), Clock.systemUTC(),
                        new Random())) {
            sender.start();
            client.await("every acknowledged event", () -> bodies(client).containsAll(acknowledged));
            List<String> delivered = bodies(client);
            // In send order, with at most the unacknowledged last events after the acknowledged ones.
            assertEquals(acknowledged, delivered.subList(0, acknowledged.size()));
            assertTrue(delivered.size() <= acknowledged.size() + 2, delivered.size() + " delivered");
        }
    }

    private static List<String> bodies(RecordingFederationClient client) {
        List<String> bodies = new ArrayList<>();
        for (JsonNode pdu : client.acceptedPdus(AcknowledgingRoomSender.REMOTE)) {
            bodies.add(pdu.path("content").path("body").asText());
        }
        return bodies;
    }
}
