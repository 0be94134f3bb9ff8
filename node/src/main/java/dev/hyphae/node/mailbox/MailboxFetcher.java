package dev.hyphae.node.mailbox;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches this node's envelopes from its mailboxes at random intervals, opens them, processes them
 * in deposit order, and has the mailbox delete each processed one with the next fetch (which comes
 * at once while envelopes are waiting). The IDs of processed envelopes are stored until the mailbox
 * confirms their deletion, so a restart asks for them to be deleted instead of processing them
 * again. Envelopes that cannot be opened or are not transactions are deleted too; an envelope whose
 * processing failed inside this node (5xx) stops the round and is fetched again later. A
 * transaction fetched twice all the same (this node stopped between processing it and storing its
 * ID, or it was deposited twice) is recognised by {@code /send} by its ID, which the store keeps,
 * and not processed again.
 */
public final class MailboxFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxFetcher.class);

    private final NodeIdentity identity;
    private final List<String> mailboxes;
    private final MailboxTransport transport;
    private final EnvelopeSealer sealer;
    private final LocalDelivery delivery;
    private final Store store;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final ScheduledThreadPoolExecutor executor;
    private volatile boolean closed;

    public MailboxFetcher(NodeIdentity identity, List<String> mailboxes, MailboxTransport transport,
            EnvelopeSealer sealer, LocalDelivery delivery, Store store, Clock clock, SecureRandom random,
            Duration minInterval, Duration maxInterval) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.mailboxes = List.copyOf(mailboxes);
        this.transport = Objects.requireNonNull(transport, "transport");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (minInterval.isNegative() || maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("fetch intervals must satisfy 0 <= min <= max");
        }
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "hyphae-mailbox-fetcher");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Schedules the first fetch from every mailbox after a random delay. */
    public void start() {
        for (String mailbox : mailboxes) {
            schedule(mailbox, randomDelay());
        }
    }

    /**
     * Fetches from {@code mailbox} until nothing waits there, processing every envelope; completes
     * with the number of envelopes processed (for tests and the status command).
     */
    public CompletableFuture<Integer> fetchNow(String mailbox) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            executor.execute(() -> round(mailbox, 0, done));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("the mailbox fetcher is closed"));
        }
        return done;
    }

    private void schedule(String mailbox, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            executor.schedule(() -> round(mailbox, 0, new CompletableFuture<>()), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    private long randomDelay() {
        long min = minInterval.toMillis();
        long spread = maxInterval.toMillis() - min;
        return min + (spread == 0 ? 0 : Math.floorMod(random.nextLong(), spread + 1));
    }

    /** One fetch; runs on the executor, and again at once while envelopes wait or deletions are due. */
    private void round(String mailbox, int processedSoFar, CompletableFuture<Integer> done) {
        if (closed) {
            done.complete(processedSoFar);
            return;
        }
        List<byte[]> deleting;
        try {
            deleting = store.read(tx -> tx.mailboxes().pendingDeletions(mailbox, FetchRequest.MAX_ENVELOPES));
        } catch (RuntimeException e) {
            LOG.warn("cannot read the deletions pending at mailbox {}", mailbox, e);
            schedule(mailbox, randomDelay());
            done.complete(processedSoFar);
            return;
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        byte[] request = FetchRequest.create(identity, clock.millis(), nonce, deleting);
        CompletableFuture<MailboxTransport.Reply> reply;
        try {
            reply = transport.post(mailbox, MailboxTransport.FETCH_PATH, request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((answer, error) -> {
            try {
                executor.execute(() -> answered(mailbox, deleting, answer, error, processedSoFar, done));
            } catch (RejectedExecutionException e) {
                done.complete(processedSoFar);
            }
        });
    }

    private void answered(String mailbox, List<byte[]> deleted, MailboxTransport.Reply reply, Throwable error,
            int processedSoFar, CompletableFuture<Integer> done) {
        String failure = error != null ? "unreachable: " + error.getMessage()
                : reply.status() != 200 ? "answered " + reply.status() + " " + reply.text() : null;
        FetchAnswer answer = null;
        if (failure == null) {
            try {
                answer = FetchAnswer.decode(reply.body());
            } catch (IllegalArgumentException e) {
                failure = "a malformed answer: " + e.getMessage();
            }
        }
        if (failure != null) {
            LOG.info("fetching from mailbox {} failed: {}", mailbox, failure);
            recordFetch(mailbox, 0, 0, Optional.of(failure));
            schedule(mailbox, randomDelay());
            done.complete(processedSoFar);
            return;
        }
        int count = 0;
        boolean stalled = false;
        try {
            store.write(tx -> tx.mailboxes().removePendingDeletions(mailbox, deleted)).join();
            for (FetchAnswer.Entry entry : answer.envelopes()) {
                if (!process(mailbox, entry)) {
                    stalled = true;
                    break; // keep deposit order: later envelopes wait for this one
                }
                store.write(tx -> {
                    tx.mailboxes().addPendingDeletion(mailbox, entry.id());
                    return null;
                }).join();
                count++;
            }
        } catch (RuntimeException e) {
            // The store failed: what was processed is processed once (/send remembers it); fetch later.
            LOG.warn("cannot record the envelopes processed from mailbox {}", mailbox, e);
            stalled = true;
        }
        recordFetch(mailbox, count, answer.remaining(), Optional.empty());
        int total = processedSoFar + count;
        if (!stalled && (count > 0 || deleted.size() == FetchRequest.MAX_ENVELOPES || answer.remaining() > 0)) {
            round(mailbox, total, done);
            return;
        }
        schedule(mailbox, randomDelay());
        done.complete(total);
    }

    /** Processes one envelope; {@code false} when it should be tried again later. */
    private boolean process(String mailbox, FetchAnswer.Entry entry) {
        OpenedEnvelope opened;
        try {
            opened = sealer.open(entry.envelope());
        } catch (IllegalArgumentException e) {
            LOG.warn("deleting an envelope from {} that does not open: {}", mailbox, e.getMessage());
            return true;
        }
        try {
            int status = delivery.deliver(opened);
            if (status >= 500) {
                LOG.warn("a transaction from mailbox {} failed here with {}; fetching it again later", mailbox, status);
                return false;
            }
            if (status != 200) {
                LOG.info("a transaction of {} from mailbox {} was refused with {}", opened.sender(), mailbox, status);
            }
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("deleting an envelope of {} from {}: {}", opened.sender(), mailbox, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("processing an envelope from {} failed; fetching it again later", mailbox, e);
            return false;
        }
    }

    private void recordFetch(String mailbox, int fetched, long waiting, Optional<String> error) {
        try {
            store.write(tx -> {
                tx.mailboxes().recordFetch(mailbox, clock.millis(), fetched, waiting, error);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("recording a fetch failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
