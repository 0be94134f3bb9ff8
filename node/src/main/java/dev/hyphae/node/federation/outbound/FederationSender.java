package dev.hyphae.node.federation.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.EduOutbox;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.store.DestinationBackoff;
import dev.hyphae.store.QueuedItem;
import dev.hyphae.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the durable federation queue, and best-effort EDUs, to other servers as transactions
 * ({@code PUT /_matrix/federation/v1/send/{txnId}}).
 *
 * <p>Per destination one transaction is in flight; it takes the oldest queued items in queue
 * order (at most 50 PDUs and 100 EDUs) plus waiting best-effort EDUs. Items leave the queue only
 * after a 200 answer. When the destination is unreachable or answers 5xx (or 401, 404, 408, 429)
 * the same transaction, with the same ID, is retried after an exponential backoff with jitter
 * kept in the store. A transaction refused with another 4xx can never be accepted as it is: its
 * items are then sent one by one, and an item refused on its own is logged and dropped, so one
 * bad item never blocks a destination. After a restart, {@link #start()} resumes from the store.
 *
 * <p>All state lives on one thread of the sender's own; network answers and store commits hand
 * their results back to it.
 */
public final class FederationSender implements EduOutbox, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FederationSender.class);
    private static final String SEND_PATH = "/_matrix/federation/v1/send/";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Store store;
    private final FederationClient client;
    private final String localServer;
    private final OutboundSettings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final FederationMetrics metrics;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, DestinationQueue> destinations = new HashMap<>();
    /** Destinations with failed attempts, readable from any thread for {@link #originSeen}. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final String nonce;
    private long ephemeralBatches;
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param localServer this node's server name: the {@code origin} of its transactions, and
     *                    never a destination
     * @param random      for backoff jitter and this process's transaction ID nonce
     */
    public FederationSender(Store store, FederationClient client, String localServer, OutboundSettings settings,
            Clock clock, Random random) {
        this.store = Objects.requireNonNull(store, "store");
        this.client = Objects.requireNonNull(client, "client");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        this.backoff = new Backoff(settings.minBackoff().toMillis(), settings.maxBackoff().toMillis(), random);
        this.metrics = new FederationMetrics(store);
        byte[] nonceBytes = new byte[6];
        random.nextBytes(nonceBytes);
        this.nonce = HexFormat.of().formatHex(nonceBytes);
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "hyphae-federation-sender");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts delivering: every destination with queued items is tried, those in backoff when their
     * stored retry time comes; the queue is swept every {@link OutboundSettings#sweepInterval()}
     * for items queued without a notice.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        if (closed || started) {
            throw new IllegalStateException(closed ? "the federation sender is closed" : "already started");
        }
        started = true;
        long sweep = settings.sweepInterval().toMillis();
        executor.scheduleWithFixedDelay(this::sweep, 0, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * Items were queued for {@code destination} (call after the commit): delivery starts at once
     * unless a transaction is in flight or the destination is in backoff.
     */
    public void queued(String destination) {
        Objects.requireNonNull(destination, "destination");
        onSenderThread(() -> attempt(queue(destination)));
    }

    /**
     * {@code serverName} was just seen (for example a libp2p connection to it opened): a
     * destination in backoff is tried again at once.
     */
    public void peerSeen(String serverName) {
        Objects.requireNonNull(serverName, "serverName");
        onSenderThread(() -> {
            DestinationQueue queue = queue(serverName);
            queue.retryAtTs = 0;
            queue.cancelTimer();
            attempt(queue);
        });
    }

    /**
     * A request signed by {@code origin} just arrived, so it is up: when it is a destination in
     * backoff, it is tried again at once. Its own connection to this node may not be one that
     * {@link #peerSeen} hears of (an existing connection, or a carrier without connection events).
     */
    public void originSeen(String origin) {
        if (failing.contains(origin)) {
            peerSeen(origin);
        }
    }

    /** Queues a best-effort EDU, lost on a restart, for the next transaction to each destination. */
    @Override
    public void send(Collection<String> destinations, String eduType, JsonNode content) {
        Objects.requireNonNull(destinations, "destinations");
        Objects.requireNonNull(eduType, "eduType");
        Objects.requireNonNull(content, "content");
        for (String destination : destinations) {
            if (destination.equals(localServer)) {
                continue;
            }
            ObjectNode edu = JSON.objectNode();
            edu.put("edu_type", eduType);
            edu.set("content", content.deepCopy());
            onSenderThread(() -> {
                DestinationQueue queue = queue(destination);
                queue.ephemeral.addLast(edu);
                while (queue.ephemeral.size() > settings.maxEphemeralEdus()) {
                    queue.ephemeral.removeFirst();
                    metrics.dropped(destination, 1);
                }
                attempt(queue);
            });
        }
    }

    /** A {@code queued(destination)} callback for the code that fills the durable queue. */
    public Consumer<String> queuedNotice() {
        return this::queued;
    }

    public FederationMetrics metrics() {
        return metrics;
    }

    /**
     * Stops sending: no new attempts start, and transactions still in flight are left in the
     * queue, to be sent again after a restart. Best-effort EDUs not yet sent are dropped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void onSenderThread(Runnable task) {
        if (closed) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // One destination's trouble (for example a store read failing) must not stop the others.
                    LOG.warn("federation sender task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: what is queued stays in the store for the next start.
        }
    }

    private void sweep() {
        if (closed) {
            return;
        }
        try {
            for (String destination : store.read(tx -> tx.federationQueue().destinationsWithPending())) {
                if (!destination.equals(localServer)) {
                    attempt(queue(destination));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("sweeping the federation queue failed", e);
        }
    }

    /** The destination's state; a new one takes its failures and retry time from the store. */
    private DestinationQueue queue(String destination) {
        DestinationQueue queue = destinations.get(destination);
        if (queue == null) {
            queue = new DestinationQueue(destination);
            Optional<DestinationBackoff> stored = store.read(tx -> tx.federationQueue().backoff(destination));
            if (stored.isPresent()) {
                queue.failures = stored.get().failures();
                if (queue.failures > 0) {
                    failing.add(destination);
                }
                queue.retryAtTs = stored.get().retryAtTs();
            }
            destinations.put(destination, queue);
        }
        return queue;
    }

    /** Sends the destination's next transaction, unless one is under way or the backoff says wait. */
    private void attempt(DestinationQueue queue) {
        if (closed || queue.busy || queue.destination.equals(localServer)) {
            return;
        }
        long now = clock.millis();
        if (queue.retryAtTs > now) {
            if (queue.timer == null) {
                scheduleRetry(queue, queue.retryAtTs - now);
            }
            return;
        }
        queue.cancelTimer();
        if (queue.current == null) {
            queue.current = build(queue, now);
            if (queue.current == null) {
                return;
            }
        }
        OutboundTransaction transaction = queue.current;
        queue.busy = true;
        long startNanos = System.nanoTime();
        CompletableFuture<JsonNode> answer;
        try {
            answer = client.request(FederationRequest.put(queue.destination, SEND_PATH + transaction.txnId(),
                    transaction.body(localServer)));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // A copy, so the timeout does not complete the client's own future.
        answer.thenApply(body -> body)
                .orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((body, error) -> onSenderThread(() -> answered(queue, transaction, body, error,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))));
    }

    /** The next transaction: the oldest queued items that fit, then best-effort EDUs; null when nothing waits. */
    private OutboundTransaction build(DestinationQueue queue, long now) {
        List<QueuedItem> items = store.read(tx -> tx.federationQueue()
                .pending(queue.destination, settings.maxPdus() + settings.maxEdus()));
        if (queue.probeUntilId != 0 && (items.isEmpty() || items.get(0).id() > queue.probeUntilId)) {
            queue.probeUntilId = 0;
        }
        boolean probing = queue.probeUntilId != 0;
        List<OutboundTransaction.ParsedItem> durable = new ArrayList<>();
        List<Long> unreadable = new ArrayList<>();
        int pdus = 0;
        int edus = 0;
        for (QueuedItem item : items) {
            boolean pdu = item.kind() == QueuedItem.Kind.PDU;
            if (probing && !durable.isEmpty()
                    || pdu && pdus == settings.maxPdus() || !pdu && edus == settings.maxEdus()) {
                break; // a transaction takes a prefix of the queue, which keeps PDUs in order
            }
            ObjectNode json;
            try {
                json = CanonicalJson.parseObjectLenient(item.json().getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                LOG.warn("dropping queued item {} for {}: not a JSON object", item.id(), queue.destination, e);
                unreadable.add(item.id());
                continue;
            }
            durable.add(new OutboundTransaction.ParsedItem(item, json));
            if (pdu) {
                pdus++;
            } else {
                edus++;
            }
        }
        if (!unreadable.isEmpty()) {
            metrics.dropped(queue.destination, unreadable.size());
            store.write(tx -> tx.federationQueue().remove(unreadable));
        }
        List<ObjectNode> ephemeral = new ArrayList<>();
        if (!probing) {
            for (Iterator<ObjectNode> it = queue.ephemeral.iterator(); it.hasNext() && edus < settings.maxEdus(); edus++) {
                ephemeral.add(it.next());
                it.remove();
            }
        }
        if (durable.isEmpty() && ephemeral.isEmpty()) {
            return null;
        }
        String ephemeralPart = ephemeral.isEmpty() ? null : nonce + "." + (++ephemeralBatches);
        return new OutboundTransaction(queue.destination, OutboundTransaction.txnId(durable, ephemeralPart), durable,
                ephemeral, now);
    }

    private void answered(DestinationQueue queue, OutboundTransaction transaction, JsonNode body, Throwable error,
            long roundTripMillis) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause == null) {
            delivered(queue, transaction, body, roundTripMillis);
        } else if (cause instanceof FederationException refusal && neverAccepted(refusal)) {
            refused(queue, transaction, refusal);
        } else {
            failed(queue, transaction, cause);
        }
    }

    /**
     * A 4xx that no retry of the same transaction will change. 401 (the destination may not have
     * our key yet), 404 (the endpoint is not served yet), 408 and 429 are worth waiting for.
     */
    private static boolean neverAccepted(FederationException e) {
        int status = e.status();
        return status >= 400 && status < 500 && status != 401 && status != 404 && status != 408 && status != 429;
    }

    private void delivered(DestinationQueue queue, OutboundTransaction transaction, JsonNode body, long roundTripMillis) {
        logRefusedPdus(queue.destination, body);
        List<Long> ids = transaction.itemIds();
        boolean hadBackoff = queue.failures > 0;
        Runnable done = () -> {
            queue.busy = false;
            queue.current = null;
            queue.failures = 0;
            queue.retryAtTs = 0;
            failing.remove(queue.destination);
            metrics.delivered(queue.destination, transaction.pduCount(), transaction.eduCount(), roundTripMillis,
                    Math.max(0, clock.millis() - transaction.oldestQueuedTs()));
            attempt(queue);
        };
        if (ids.isEmpty() && !hadBackoff) {
            done.run();
            return;
        }
        store.write(tx -> {
            tx.federationQueue().remove(ids);
            if (hadBackoff) {
                tx.federationQueue().recordSuccess(queue.destination);
            }
            return null;
        }).whenComplete((ignored, error) -> onSenderThread(() -> {
            if (error == null) {
                done.run();
                return;
            }
            // Delivered but still queued: a later retry sends the same transaction ID, which the
            // destination recognises as a retransmission.
            LOG.warn("removing delivered items for {} failed", queue.destination, error);
            queue.busy = false;
            queue.retryAtTs = clock.millis() + settings.minBackoff().toMillis();
            scheduleRetry(queue, settings.minBackoff().toMillis());
        }));
    }

    private void failed(DestinationQueue queue, OutboundTransaction transaction, Throwable cause) {
        metrics.failed(queue.destination);
        queue.failures++;
        failing.add(queue.destination);
        long delay = backoff.delayMillis(queue.failures);
        long retryAt = clock.millis() + delay;
        queue.retryAtTs = retryAt;
        LOG.info("transaction {} to {} failed (attempt {}), retrying in {} ms: {}", transaction.txnId(),
                queue.destination, queue.failures, delay, cause.getMessage());
        if (transaction.durable().isEmpty()) {
            queue.busy = false;
            scheduleRetry(queue, delay);
            return;
        }
        store.write(tx -> tx.federationQueue().recordFailure(queue.destination, retryAt))
                .whenComplete((stored, error) -> onSenderThread(() -> {
                    if (error != null) {
                        LOG.warn("recording the backoff of {} failed", queue.destination, error);
                    }
                    queue.busy = false;
                    scheduleRetry(queue, Math.max(0, queue.retryAtTs - clock.millis()));
                }));
    }

    private void refused(DestinationQueue queue, OutboundTransaction transaction, FederationException refusal) {
        metrics.rejected(queue.destination);
        queue.busy = false;
        queue.current = null;
        if (!transaction.ephemeral().isEmpty()) {
            LOG.warn("{} refused transaction {} with {} best-effort EDUs; dropping them: {}", queue.destination,
                    transaction.txnId(), transaction.ephemeral().size(), refusal.getMessage());
            metrics.dropped(queue.destination, transaction.ephemeral().size());
        }
        if (transaction.durable().size() > 1 || transaction.durable().size() == 1 && !transaction.ephemeral().isEmpty()) {
            // Find the item the destination refuses: send the batch's items one at a time.
            queue.probeUntilId = transaction.durable().get(transaction.durable().size() - 1).item().id();
            LOG.info("{} refused transaction {}; sending its {} items one by one", queue.destination,
                    transaction.txnId(), transaction.durable().size());
            attempt(queue);
            return;
        }
        if (transaction.durable().isEmpty()) {
            attempt(queue);
            return;
        }
        QueuedItem item = transaction.durable().get(0).item();
        LOG.warn("{} refuses queued {} {} on its own; dropping it: {}", queue.destination, item.kind(), item.id(),
                refusal.getMessage());
        queue.busy = true;
        store.write(tx -> tx.federationQueue().remove(List.of(item.id())))
                .whenComplete((removed, error) -> onSenderThread(() -> {
                    queue.busy = false;
                    if (error != null) {
                        LOG.warn("dropping queued item {} for {} failed", item.id(), queue.destination, error);
                        queue.retryAtTs = clock.millis() + settings.minBackoff().toMillis();
                        scheduleRetry(queue, settings.minBackoff().toMillis());
                        return;
                    }
                    metrics.dropped(queue.destination, 1);
                    attempt(queue);
                }));
    }

    private void scheduleRetry(DestinationQueue queue, long delayMillis) {
        queue.cancelTimer();
        if (closed) {
            return;
        }
        try {
            queue.timer = executor.schedule(() -> {
                queue.timer = null;
                attempt(queue);
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    /** A 200 answer may still refuse single PDUs; they count as delivered (the destination has decided). */
    private static void logRefusedPdus(String destination, JsonNode body) {
        if (body == null || !body.path("pdus").isObject()) {
            return;
        }
        body.path("pdus").fields().forEachRemaining(entry -> {
            JsonNode error = entry.getValue().path("error");
            if (error.isTextual()) {
                LOG.info("{} refused PDU {}: {}", destination, entry.getKey(), error.textValue());
            }
        });
    }
}
