package dev.hyphae.node.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.federation.XMatrixAuthenticator;
import dev.hyphae.node.federation.XMatrixSigner;
import dev.hyphae.node.federation.outbound.FederationSender;
import dev.hyphae.node.federation.outbound.OutboundSettings;
import dev.hyphae.node.http.IncomingRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RateLimit;
import dev.hyphae.node.http.RateLimiter;
import dev.hyphae.node.http.RequestDispatcher;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.MailboxUsage;
import dev.hyphae.store.QueuedItem;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A's outbound queue, B's mailbox M and B's fetcher, in one process: the carriers never reach B,
 * the transport to M is in-process but goes through M's real endpoints.
 */
class MailboxDeliveryTest {
    @TempDir
    Path directory;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final NodeIdentity alice = EnvelopeSealerTest.identity(1);
    private final NodeIdentity bob = EnvelopeSealerTest.identity(2);
    private final NodeIdentity mailboxNode = EnvelopeSealerTest.identity(4);
    private Store aliceStore;
    private Store bobStore;
    private Store mailboxStore;
    private FederationSender sender;
    private MailboxFetcher fetcher;
    private MailboxDepositor depositor;
    private RequestDispatcher mailboxHttp;
    /** The sizes of every body the mailbox received. */
    private final List<Integer> bodySizes = Collections.synchronizedList(new ArrayList<>());
    /** What B's /send saw: transaction IDs once each, and the PDU numbers in order. */
    private final Set<String> bobTransactions = Collections.synchronizedSet(new HashSet<>());
    private final List<Integer> bobPdus = Collections.synchronizedList(new ArrayList<>());
    private final List<String> bobOrigins = Collections.synchronizedList(new ArrayList<>());
    /** Every /send B's routes were handed, the same transaction again included. */
    private final AtomicInteger bobSendCalls = new AtomicInteger();

    @BeforeEach
    void open() {
        aliceStore = SqliteStore.openInDirectory(directory.resolve("a"));
        bobStore = SqliteStore.openInDirectory(directory.resolve("b"));
        mailboxStore = SqliteStore.openInDirectory(directory.resolve("m"));
    }

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
        if (fetcher != null) {
            fetcher.close();
        }
        aliceStore.close();
        bobStore.close();
        mailboxStore.close();
    }

    private void serveMailbox(MailboxServeSettings settings) {
        FederationRoutes routes = new FederationRoutes(new RouteTable(),
                new XMatrixAuthenticator(mailboxNode.serverName(), new OnionServerKeys(), clock));
        routes.register(new MailboxEndpoints(Optional.of(new MailboxService(mailboxStore, settings, clock)),
                Optional::empty));
        mailboxHttp = new RequestDispatcher(routes.table(), token -> {
            throw new IllegalStateException();
        }, new RateLimiter(RateLimit.unlimited()), new RateLimiter(RateLimit.unlimited()), Runnable::run);
    }

    private final MailboxTransport toMailbox = (mailbox, path, body) -> {
        assertEquals(mailboxNode.serverName(), mailbox);
        bodySizes.add(body.length);
        MatrixResponse response = mailboxHttp.dispatch(new IncomingRequest("POST", path,
                Map.of("content-type", "application/octet-stream"), body, "tor")).join();
        return CompletableFuture.completedFuture(new MailboxTransport.Reply(response.status(), response.body()));
    };

    /** B's federation routes: X-Matrix checked, /send recording what it processes once per transaction ID. */
    private LocalDelivery bobDelivery() {
        FederationRoutes routes = new FederationRoutes(new RouteTable(),
                new XMatrixAuthenticator(bob.serverName(), new OnionServerKeys(), clock));
        routes.add(Method.PUT, "/_matrix/federation/v1/send/{txnId}", (origin, request) -> {
            bobSendCalls.incrementAndGet();
            if (bobTransactions.add(origin + " " + request.pathParameter("txnId"))) {
                bobOrigins.add(origin);
                request.json().path("pdus").forEach(pdu -> bobPdus.add(pdu.path("n").asInt()));
            }
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            answer.putObject("pdus");
            return MatrixResponse.ok(answer);
        });
        return new LocalDelivery(routes.table());
    }

    private MailboxFetcher bobFetcher() {
        return bobFetcher(toMailbox);
    }

    private MailboxFetcher bobFetcher(MailboxTransport transport) {
        fetcher = new MailboxFetcher(bob, List.of(mailboxNode.serverName()), transport, new EnvelopeSealer(bob, random),
                bobDelivery(), bobStore, clock, random, Duration.ofHours(1), Duration.ofHours(1));
        return fetcher;
    }

    private static final FederationClient UNREACHABLE = request -> CompletableFuture.failedFuture(
            FederationException.unreachable(request.destination(), "test carriers reach nobody", null));

    private void startAliceSender(FederationClient carriers) {
        MailboxRecords records = new MailboxRecords(aliceStore, carriers, clock, Duration.ofMinutes(10), RecordDirectory.NONE);
        depositor = new MailboxDepositor(new XMatrixSigner(alice.serverName(), alice.signingKey()),
                new EnvelopeSealer(alice, random), records, toMailbox, aliceStore, clock);
        sender = new FederationSender(aliceStore,
                new MailboxFallbackClient(carriers, depositor, records, clock, Duration.ZERO, Duration.ZERO), alice.serverName(),
                OutboundSettings.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                        .withSweepInterval(Duration.ofMillis(50)), clock, new Random(1));
        sender.start();
    }

    private void aliceKnowsBobsRecord() {
        MailboxRecord record = MailboxRecord.create(bob, List.of(mailboxNode.serverName()), clock.millis());
        aliceStore.write(tx -> {
            tx.mailboxes().putRecord(bob.serverName(), record.json(), clock.millis());
            return null;
        }).join();
    }

    private void queuePdus(int from, int to) {
        queuePdus(from, to, 0);
    }

    /** Queues PDUs numbered {@code from..to}, each with {@code padding} more bytes. */
    private void queuePdus(int from, int to, int padding) {
        String pad = "x".repeat(padding);
        for (int n = from; n <= to; n++) {
            int number = n;
            aliceStore.write(tx -> tx.federationQueue().enqueue(bob.serverName(), QueuedItem.Kind.PDU,
                    "{\"n\":" + number + ",\"pad\":\"" + pad + "\"}", clock.millis())).join();
        }
        sender.queued(bob.serverName());
    }

    private int aliceQueue() {
        return aliceStore.read(tx -> tx.federationQueue().count(bob.serverName()));
    }

    private void awaitAliceQueue(int length) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (aliceQueue() != length) {
            assertTrue(System.nanoTime() < deadline, "A's queue for B still holds " + aliceQueue());
            Thread.sleep(20);
        }
    }

    private void registerBob() throws Exception {
        bobFetcher().fetchNow(mailboxNode.serverName()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void transactionsForAnUnreachableDestinationReachItThroughTheMailboxOnceAndInOrder() throws Exception {
        serveMailbox(MailboxServeSettings.defaults());
        registerBob();
        aliceKnowsBobsRecord();
        startAliceSender(UNREACHABLE);
        queuePdus(1, 120);
        awaitAliceQueue(0);
        assertTrue(mailboxStore.read(tx -> tx.mailboxes().envelopeCount(bob.serverName())) > 0);

        int processed = fetcher.fetchNow(mailboxNode.serverName()).get(30, TimeUnit.SECONDS);
        assertTrue(processed > 0);
        List<Integer> expected = new ArrayList<>();
        for (int n = 1; n <= 120; n++) {
            expected.add(n);
        }
        assertEquals(expected, bobPdus);
        assertEquals(Set.of(alice.serverName()), new HashSet<>(bobOrigins));
        assertEquals(0L, (long) mailboxStore.read(tx -> tx.mailboxes().envelopeCount(bob.serverName())));
        for (int size : bodySizes) {
            assertTrue(PaddedSizes.ENVELOPE_SIZES.contains(size) || size == PaddedSizes.FETCH_REQUEST_SIZE,
                    "a body of " + size + " bytes");
        }
        MailboxUsage aliceUsage = aliceStore.read(tx -> tx.mailboxes().usage()).get(0);
        assertTrue(aliceUsage.deposited() > 0);
        MailboxUsage bobUsage = bobStore.read(tx -> tx.mailboxes().usage()).get(0);
        assertEquals(0, bobUsage.waiting());
        assertTrue(bobUsage.lastFetchTs() > 0);
    }

    @Test
    void aRestartedRecipientHasItsProcessedEnvelopesDeletedInsteadOfProcessingThemAgain() throws Exception {
        serveMailbox(MailboxServeSettings.defaults());
        registerBob();
        aliceKnowsBobsRecord();
        startAliceSender(UNREACHABLE);
        queuePdus(1, 3);
        awaitAliceQueue(0);
        long deposited = mailboxStore.read(tx -> tx.mailboxes().envelopeCount(bob.serverName()));
        assertTrue(deposited > 0);
        fetcher.close();

        // B processes what it fetched, then stops before the fetch that would have the envelopes deleted.
        AtomicInteger fetches = new AtomicInteger();
        MailboxTransport stopsAfterOneFetch = (mailbox, path, body) -> fetches.incrementAndGet() > 1
                ? CompletableFuture.failedFuture(new IllegalStateException("B stopped"))
                : toMailbox.post(mailbox, path, body);
        assertEquals((int) deposited, bobFetcher(stopsAfterOneFetch).fetchNow(mailboxNode.serverName())
                .get(30, TimeUnit.SECONDS));
        fetcher.close();
        int processed = bobSendCalls.get();
        assertEquals(deposited, (long) mailboxStore.read(tx -> tx.mailboxes().envelopeCount(bob.serverName())));
        assertEquals(deposited, bobStore.read(tx -> tx.mailboxes().pendingDeletions(mailboxNode.serverName(), 100))
                .size());

        // B again, with a new fetcher over the same store: the first fetch deletes, nothing is processed twice.
        assertEquals(0, bobFetcher().fetchNow(mailboxNode.serverName()).get(30, TimeUnit.SECONDS));
        assertEquals(processed, bobSendCalls.get());
        assertEquals(0L, (long) mailboxStore.read(tx -> tx.mailboxes().envelopeCount(bob.serverName())));
        assertTrue(bobStore.read(tx -> tx.mailboxes().pendingDeletions(mailboxNode.serverName(), 100)).isEmpty());
        assertEquals(List.of(1, 2, 3), bobPdus);
    }

    @Test
    void aTransactionLargerThanTheLargestEnvelopeArrivesInOrderAsSeveralSmallerOnes() throws Exception {
        serveMailbox(MailboxServeSettings.defaults());
        registerBob();
        aliceKnowsBobsRecord();
        startAliceSender(UNREACHABLE);
        // 50 PDUs of ~20 KB: about 1 MB, four times the largest envelope.
        queuePdus(1, 50, 20_000);
        awaitAliceQueue(0);

        fetcher.fetchNow(mailboxNode.serverName()).get(60, TimeUnit.SECONDS);
        List<Integer> expected = new ArrayList<>();
        for (int n = 1; n <= 50; n++) {
            expected.add(n);
        }
        assertEquals(expected, bobPdus);
        assertTrue(bobTransactions.size() > 1, bobTransactions.toString());
        for (int size : bodySizes) {
            assertTrue(PaddedSizes.ENVELOPE_SIZES.contains(size) || size == PaddedSizes.FETCH_REQUEST_SIZE,
                    "a body of " + size + " bytes");
        }
        assertEquals(0L, (long) mailboxStore.read(tx -> tx.mailboxes().envelopeCount(bob.serverName())));
    }

    @Test
    void anEduLargerThanTheLargestEnvelopeIsDroppedWithACountAndDoesNotHoldBackTheQueue() throws Exception {
        serveMailbox(MailboxServeSettings.defaults());
        registerBob();
        aliceKnowsBobsRecord();
        startAliceSender(UNREACHABLE);
        queuePdus(1, 1);
        String huge = "{\"edu_type\":\"m.direct_to_device\",\"content\":{\"message_id\":\"m1\",\"sender\":\"@a:"
                + alice.serverName() + "\",\"type\":\"m.room_key_request\",\"messages\":{\"pad\":\""
                + "x".repeat(EnvelopeSealer.maxPayload()) + "\"}}}";
        aliceStore.write(tx -> tx.federationQueue().enqueue(bob.serverName(), QueuedItem.Kind.EDU, huge,
                clock.millis())).join();
        queuePdus(2, 3);

        awaitAliceQueue(0);
        fetcher.fetchNow(mailboxNode.serverName()).get(60, TimeUnit.SECONDS);

        assertEquals(List.of(1, 2, 3), bobPdus);
        assertEquals(1, depositor.itemsTooLarge());
    }

    @Test
    void aFullMailboxLeavesTheTransactionQueuedUntilThereIsRoom() throws Exception {
        serveMailbox(MailboxServeSettings.defaults().withQuota(1, 1_000_000));
        registerBob();
        aliceKnowsBobsRecord();
        startAliceSender(UNREACHABLE);
        queuePdus(1, 1);
        awaitAliceQueue(0);
        queuePdus(2, 3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!aliceStore.read(tx -> tx.mailboxes().usage()).get(0).lastError().orElse("").contains("507")) {
            assertTrue(System.nanoTime() < deadline, "the mailbox never said it was full");
            Thread.sleep(20);
        }
        assertEquals(2, aliceQueue());
        // Each fetch makes room for one envelope: PDUs 2 and 3 may have left in one transaction or two.
        while (aliceQueue() > 0) {
            assertTrue(System.nanoTime() < deadline, "A's queue for B still holds " + aliceQueue());
            fetcher.fetchNow(mailboxNode.serverName()).get(10, TimeUnit.SECONDS);
            Thread.sleep(20);
        }
        fetcher.fetchNow(mailboxNode.serverName()).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2, 3), bobPdus);
    }

    @Test
    void withoutAKnownMailboxTheTransactionStaysQueued() throws Exception {
        serveMailbox(MailboxServeSettings.defaults());
        startAliceSender(UNREACHABLE);
        queuePdus(1, 2);
        Thread.sleep(300);
        assertEquals(2, aliceQueue());
        assertTrue(bodySizes.isEmpty());
    }

    @Test
    void aReachableDestinationGetsItsTransactionsDirectlyAndItsRecordIsAskedFor() throws Exception {
        serveMailbox(MailboxServeSettings.defaults());
        MailboxRecord record = MailboxRecord.create(bob, List.of(mailboxNode.serverName()), clock.millis());
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        FederationClient reachable = request -> {
            asked.add(request.method() + " " + request.uri());
            JsonNode body = request.uri().equals(MailboxRecords.RECORD_PATH)
                    ? CanonicalJson.parse(record.json().getBytes(StandardCharsets.UTF_8))
                    : JsonNodeFactory.instance.objectNode().set("pdus", JsonNodeFactory.instance.objectNode());
            return CompletableFuture.completedFuture(body);
        };
        startAliceSender(reachable);
        queuePdus(1, 1);
        awaitAliceQueue(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (aliceStore.read(tx -> tx.mailboxes().record(bob.serverName())).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the record was not stored");
            Thread.sleep(20);
        }
        assertTrue(bodySizes.isEmpty());
        assertEquals(List.of(mailboxNode.serverName()), new MailboxRecords(aliceStore, reachable, clock,
                Duration.ofMinutes(1), RecordDirectory.NONE).mailboxesOf(bob.serverName()));
    }

    @Test
    void aRecordSignedByAnotherKeyIsRefused() {
        MailboxRecord forged = MailboxRecord.create(alice, List.of(mailboxNode.serverName()), 1);
        String asBob = forged.json().replace(alice.serverName(), bob.serverName());
        assertThrows(IllegalArgumentException.class, () -> MailboxRecord.parse(asBob, bob.serverName()));
        assertThrows(IllegalArgumentException.class, () -> MailboxRecord.parse(forged.json(), bob.serverName()));
    }

    @Test
    void anEnvelopeWhoseRequestNamesAnotherOriginThanItsSealerIsNotProcessed() {
        NodeIdentity carol = EnvelopeSealerTest.identity(3);
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("method", "PUT");
        payload.put("uri", "/_matrix/federation/v1/send/t1");
        ObjectNode content = payload.putObject("content");
        content.putArray("pdus");
        payload.put("authorization", new XMatrixSigner(carol.serverName(), carol.signingKey())
                .authorization("PUT", "/_matrix/federation/v1/send/t1", bob.serverName(), content));
        byte[] envelope = new EnvelopeSealer(alice, random).seal(bob.serverName(), CanonicalJson.encode(payload));
        OpenedEnvelope opened = new EnvelopeSealer(bob, random).open(envelope);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bobDelivery().deliver(opened));
        assertTrue(e.getMessage().contains("did not seal"));
        assertTrue(bobTransactions.isEmpty());
    }
}
