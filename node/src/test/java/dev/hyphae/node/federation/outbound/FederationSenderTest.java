package dev.hyphae.node.federation.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.http.Method;
import dev.hyphae.store.DestinationBackoff;
import dev.hyphae.store.QueuedItem;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationSenderTest {
    private static final String LOCAL = "local.onion";
    private static final String A = "a.onion";
    private static final String B = "b.onion";
    private static final OutboundSettings FAST = OutboundSettings.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .withSweepInterval(Duration.ofMillis(50));

    @TempDir
    Path directory;

    private Store store;
    private final RecordingFederationClient client = new RecordingFederationClient();
    private FederationSender sender;

    @BeforeEach
    void openStore() {
        store = SqliteStore.openInDirectory(directory);
    }

    @AfterEach
    void closeAll() {
        if (sender != null) {
            sender.close();
        }
        store.close();
    }

    private FederationSender startSender(OutboundSettings settings) {
        sender = new FederationSender(store, client, LOCAL, settings, Clock.systemUTC(), new Random(1));
        sender.start();
        return sender;
    }

    private void enqueue(String destination, QueuedItem.Kind kind, int n) {
        store.write(tx -> tx.federationQueue().enqueue(destination, kind,
                kind == QueuedItem.Kind.PDU ? "{\"n\":" + n + "}" : "{\"content\":{\"n\":" + n + "},\"edu_type\":\"x.test\"}",
                System.currentTimeMillis())).join();
    }

    private int queueLength(String destination) {
        return store.read(tx -> tx.federationQueue().count(destination));
    }

    private static List<Integer> numbers(List<JsonNode> units) {
        return units.stream().map(u -> u.has("n") ? u.get("n").asInt() : u.path("content").path("n").asInt()).toList();
    }

    @Test
    void queuedPdusReachEachDestinationInQueueOrder() throws Exception {
        for (int i = 1; i <= 5; i++) {
            enqueue(A, QueuedItem.Kind.PDU, i);
            enqueue(B, QueuedItem.Kind.PDU, 10 + i);
        }
        startSender(FAST);
        client.await("both queues delivered", () -> client.acceptedPdus(A).size() == 5 && client.acceptedPdus(B).size() == 5);
        assertEquals(List.of(1, 2, 3, 4, 5), numbers(client.acceptedPdus(A)));
        assertEquals(List.of(11, 12, 13, 14, 15), numbers(client.acceptedPdus(B)));
        FederationRequest request = client.requestsTo(A).get(0);
        assertEquals(Method.PUT, request.method());
        assertTrue(request.uri().startsWith("/_matrix/federation/v1/send/"));
        assertEquals(LOCAL, request.body().get("origin").asText());
        assertTrue(request.body().get("origin_server_ts").isIntegralNumber());
        ServerServerSchemas.load().assertValid("definitions/transaction.yaml", request.body());
        awaitEmpty(A);
        awaitEmpty(B);
    }

    @Test
    void transactionsCarryAtMostFiftyPdusAndAHundredEdusAndOneIsInFlightPerDestination() throws Exception {
        List<Integer> expectedPdus = new ArrayList<>();
        List<Integer> expectedEdus = new ArrayList<>();
        for (int i = 0; i < 330; i++) {
            boolean pdu = i % 3 == 0;
            enqueue(A, pdu ? QueuedItem.Kind.PDU : QueuedItem.Kind.EDU, i);
            (pdu ? expectedPdus : expectedEdus).add(i);
        }
        client.answerAfter(Duration.ofMillis(5));
        startSender(FAST);
        client.await("all delivered", () -> client.acceptedPdus(A).size() == 110 && client.acceptedEdus(A).size() == 220);
        for (FederationRequest request : client.requestsTo(A)) {
            assertTrue(request.body().get("pdus").size() <= 50, "PDUs in one transaction");
            assertTrue(request.body().path("edus").size() <= 100, "EDUs in one transaction");
        }
        assertTrue(client.requestsTo(A).size() >= 3);
        assertEquals(expectedPdus, numbers(client.acceptedPdus(A)));
        assertEquals(expectedEdus, numbers(client.acceptedEdus(A)));
        assertEquals(0, client.overlaps());
        awaitEmpty(A);
    }

    @Test
    void failedAttemptsBackOffWithTheSameTransactionIdUntilASuccessResetsTheBackoff() throws Exception {
        enqueue(A, QueuedItem.Kind.PDU, 1);
        client.unreachable();
        startSender(OutboundSettings.defaults().withBackoff(Duration.ofMillis(30), Duration.ofSeconds(5))
                .withSweepInterval(Duration.ofMillis(20)));
        client.await("three failed attempts", () -> client.requestsTo(A).size() >= 3);
        Optional<DestinationBackoff> backoff = awaitBackoff(A, 3);
        assertTrue(backoff.isPresent());
        client.acceptAll();
        client.await("delivery", () -> client.acceptedPdus(A).size() == 1);
        awaitEmpty(A);
        awaitCondition(() -> store.read(tx -> tx.federationQueue().backoff(A)).isEmpty());
        List<String> uris = client.requestsTo(A).stream().map(FederationRequest::uri).distinct().toList();
        assertEquals(1, uris.size(), "every retry of one batch uses one transaction ID");
        awaitCondition(() -> sender.metrics().destination(A).transactionsDelivered() == 1);
        assertTrue(sender.metrics().destination(A).failures() >= 3);

        // A new failure after the reset starts again from the first step.
        client.failOnceThenHang();
        enqueue(A, QueuedItem.Kind.PDU, 2);
        sender.queued(A);
        assertEquals(1, awaitBackoff(A, 1).orElseThrow().failures());
    }

    @Test
    void aRequestThatIsNeverAnsweredCountsAsAFailureAndIsRetried() throws Exception {
        enqueue(A, QueuedItem.Kind.PDU, 1);
        client.leaveUnanswered(1);
        startSender(FAST.withRequestTimeout(Duration.ofMillis(100)));
        client.await("the retry delivered", () -> client.acceptedPdus(A).size() == 1);
        awaitEmpty(A);
        assertEquals(2, client.requestsTo(A).size());
        assertEquals(client.requestsTo(A).get(0).uri(), client.requestsTo(A).get(1).uri());
        awaitCondition(() -> sender.metrics().destination(A).transactionsDelivered() == 1);
        assertEquals(1, sender.metrics().destination(A).failures());
    }

    @Test
    void waitsBetweenAttemptsGrowAndAreCapped() {
        Backoff backoff = new Backoff(1000, 3_600_000, new Random(7));
        long previousBase = 0;
        for (int failures = 1; failures <= 30; failures++) {
            long base = Math.min(3_600_000, 1000L << Math.min(failures - 1, 40));
            long delay = backoff.delayMillis(failures);
            assertTrue(delay >= base && delay <= Math.min(3_600_000, base + base / 2),
                    "delay " + delay + " after " + failures + " failures");
            assertTrue(base >= previousBase);
            previousBase = base;
        }
        assertEquals(3_600_000, backoff.delayMillis(60));
    }

    @Test
    void peerSeenRetriesADestinationInBackoffAtOnce() throws Exception {
        enqueue(A, QueuedItem.Kind.PDU, 1);
        client.unreachable();
        startSender(OutboundSettings.defaults().withBackoff(Duration.ofHours(1), Duration.ofHours(1)));
        awaitBackoff(A, 1);
        client.acceptAll();
        sender.peerSeen(A);
        client.await("delivery after the peer was seen", () -> client.acceptedPdus(A).size() == 1);
        awaitEmpty(A);
    }

    @Test
    void aSignedRequestFromADestinationInBackoffRetriesItAtOnce() throws Exception {
        enqueue(A, QueuedItem.Kind.PDU, 1);
        client.unreachable();
        startSender(OutboundSettings.defaults().withBackoff(Duration.ofHours(1), Duration.ofHours(1)));
        awaitBackoff(A, 1);
        client.acceptAll();
        sender.originSeen("other.example");
        sender.originSeen(A);
        client.await("delivery after a request from the destination", () -> client.acceptedPdus(A).size() == 1);
        awaitEmpty(A);
    }

    @Test
    void queuedItemsSurviveClosingAndReopeningTheStore() throws Exception {
        for (int i = 1; i <= 3; i++) {
            enqueue(A, QueuedItem.Kind.PDU, i);
        }
        client.unreachable();
        startSender(OutboundSettings.defaults().withBackoff(Duration.ofHours(1), Duration.ofHours(1)));
        awaitBackoff(A, 1);
        sender.close();
        sender = null;
        store.close();

        store = SqliteStore.openInDirectory(directory);
        assertEquals(3, queueLength(A));
        client.acceptAll();
        startSender(FAST);
        // The stored backoff still holds after the restart; seeing the peer lifts it.
        sender.peerSeen(A);
        client.await("delivery after the restart", () -> client.acceptedPdus(A).size() == 3);
        assertEquals(List.of(1, 2, 3), numbers(client.acceptedPdus(A)));
        awaitEmpty(A);
    }

    @Test
    void anItemTheDestinationRefusesIsDroppedWithoutBlockingTheOthers() throws Exception {
        for (int i = 1; i <= 6; i++) {
            enqueue(A, QueuedItem.Kind.PDU, i);
        }
        client.failWhen(request -> {
            for (JsonNode pdu : request.body().get("pdus")) {
                if (pdu.get("n").asInt() == 3) {
                    return FederationException.answered(request.destination(), 400, "M_BAD_JSON", "bad event");
                }
            }
            return null;
        });
        startSender(FAST);
        client.await("the others delivered", () -> client.acceptedPdus(A).size() == 5);
        assertEquals(List.of(1, 2, 4, 5, 6), numbers(client.acceptedPdus(A)));
        awaitEmpty(A);
        awaitCondition(() -> sender.metrics().destination(A).itemsDropped() == 1);

        // Both in one write, so the sweep cannot take the first alone.
        store.write(tx -> {
            tx.federationQueue().enqueue(A, QueuedItem.Kind.PDU, "{\"n\":7}", System.currentTimeMillis());
            return tx.federationQueue().enqueue(A, QueuedItem.Kind.PDU, "{\"n\":8}", System.currentTimeMillis());
        }).join();
        sender.queued(A);
        client.await("later items in one transaction again", () -> client.acceptedPdus(A).size() == 7);
        List<FederationRequest> requests = client.requestsTo(A);
        assertEquals(2, requests.get(requests.size() - 1).body().get("pdus").size());
    }

    @Test
    void bestEffortEdusRideInTheNextTransactionAndSkipThisServer() throws Exception {
        startSender(FAST);
        JsonNode typing = JsonNodeFactory.instance.objectNode().put("room_id", "!r:a.onion").put("typing", true);
        sender.send(List.of(A, LOCAL), "m.typing", typing);
        client.await("the EDU", () -> client.acceptedEdus(A).size() == 1);
        JsonNode edu = client.acceptedEdus(A).get(0);
        assertEquals("m.typing", edu.get("edu_type").asText());
        assertEquals(typing, edu.get("content"));
        assertEquals(0, client.requestsTo(LOCAL).size());
        assertEquals(0, client.requestsTo(A).get(0).body().get("pdus").size());
        ServerServerSchemas.load().assertValid("definitions/transaction.yaml", client.requestsTo(A).get(0).body());
        ServerServerSchemas.load().assertValid("definitions/edu.yaml", edu);
    }

    @Test
    void transactionIdsDifferBetweenBatches() throws Exception {
        enqueue(A, QueuedItem.Kind.PDU, 1);
        startSender(FAST);
        client.await("first", () -> client.acceptedPdus(A).size() == 1);
        awaitEmpty(A);
        enqueue(A, QueuedItem.Kind.PDU, 2);
        sender.queued(A);
        client.await("second", () -> client.acceptedPdus(A).size() == 2);
        sender.send(List.of(A), "m.typing", JsonNodeFactory.instance.objectNode());
        client.await("third", () -> client.requestsTo(A).size() == 3);
        List<String> uris = client.requestsTo(A).stream().map(FederationRequest::uri).toList();
        assertEquals(3, uris.stream().distinct().count(), uris.toString());
        uris.forEach(uri -> assertFalse(uri.substring("/_matrix/federation/v1/send/".length()).isEmpty()));
        assertNotEquals(uris.get(0), uris.get(1));
    }

    @Test
    void metricsCountDeliveriesAndQueueLengths() throws Exception {
        IntStream.rangeClosed(1, 4).forEach(i -> enqueue(B, QueuedItem.Kind.PDU, i));
        client.unreachable();
        startSender(OutboundSettings.defaults().withBackoff(Duration.ofHours(1), Duration.ofHours(1)));
        awaitBackoff(B, 1);
        FederationMetrics metrics = sender.metrics();
        assertEquals(4, metrics.queueLength(B));
        assertEquals(java.util.Map.of(B, 4), metrics.queueLengths());
        assertEquals(1, metrics.destination(B).failures());
        client.acceptAll();
        sender.peerSeen(B);
        awaitEmpty(B);
        awaitCondition(() -> sender.metrics().destination(B).transactionsDelivered() == 1);
        FederationMetrics.DestinationStats stats = metrics.destination(B);
        assertEquals(4, stats.pdusDelivered());
        assertTrue(stats.lastRoundTripMillis() >= 0);
        assertTrue(stats.lastQueueLatencyMillis() >= 0);
        assertEquals(0, metrics.queueLength(B));
    }

    private Optional<DestinationBackoff> awaitBackoff(String destination, int failures) throws InterruptedException {
        awaitCondition(() -> store.read(tx -> tx.federationQueue().backoff(destination))
                .map(b -> b.failures() >= failures).orElse(false));
        return store.read(tx -> tx.federationQueue().backoff(destination));
    }

    private void awaitEmpty(String destination) throws InterruptedException {
        awaitCondition(() -> queueLength(destination) == 0);
    }

    private void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }
}
