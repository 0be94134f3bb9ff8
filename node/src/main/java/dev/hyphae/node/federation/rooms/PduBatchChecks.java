package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link PduChecks} (format, signatures, content hash) over many events at once, such as the state
 * and auth chain of a {@code send_join} answer. Each event's checks depend on that event alone and
 * are mostly Ed25519 and SHA-256 work, so the events are shared out over a bounded pool of threads,
 * the calling thread taking part. The results are those of checking one event after the other, in
 * the order given.
 */
final class PduBatchChecks {
    /** Below this many events the calling thread checks them alone: handing work over costs more. */
    static final int PARALLEL_THRESHOLD = 16;

    /** The outcome of the checks of one event. */
    sealed interface Result permits Valid, Dropped {
    }

    /** The event passed (redacted when its content hash did not match). */
    record Valid(Pdu pdu) implements Result {
        Valid {
            Objects.requireNonNull(pdu, "pdu");
        }
    }

    /** The event must be dropped, for {@code reason}. */
    record Dropped(String reason) implements Result {
        Dropped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final PduChecks checks;
    private final Executor executor;
    private final int helpers;

    /**
     * @param executor runs the helping tasks; it may refuse them (the calling thread then does more)
     * @param helpers  how many tasks at most to hand to {@code executor} per batch, besides the
     *                 calling thread (0: everything on the calling thread)
     */
    PduBatchChecks(PduChecks checks, Executor executor, int helpers) {
        if (helpers < 0) {
            throw new IllegalArgumentException("helpers must not be negative: " + helpers);
        }
        this.checks = Objects.requireNonNull(checks, "checks");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.helpers = helpers;
    }

    /** Checks every event on the calling thread alone. */
    static PduBatchChecks sequential(PduChecks checks) {
        return new PduBatchChecks(checks, Runnable::run, 0);
    }

    /** The result for each of {@code jsons}, in the same order. */
    List<Result> check(List<JsonNode> jsons, RoomVersion version) {
        Objects.requireNonNull(version, "version");
        int size = jsons.size();
        Result[] results = new Result[size];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(size);
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < size; i = next.getAndIncrement()) {
                try {
                    results[i] = checkOne(jsons.get(i), version);
                } finally {
                    done.countDown(); // even on an Error, so that the caller never waits forever
                }
            }
        };
        int tasks = size < PARALLEL_THRESHOLD ? 0 : Math.min(helpers, size / PARALLEL_THRESHOLD);
        for (int t = 0; t < tasks; t++) {
            try {
                executor.execute(worker);
            } catch (RejectedExecutionException e) {
                break; // the pool is saturated or shut down: the calling thread does the rest
            }
        }
        worker.run();
        awaitUninterruptibly(done);
        for (Result result : results) {
            if (result == null) {
                throw new IllegalStateException("an event of the batch could not be checked");
            }
        }
        return new ArrayList<>(Arrays.asList(results));
    }

    private Result checkOne(JsonNode json, RoomVersion version) {
        try {
            return new Valid(checks.check(json, version));
        } catch (RuntimeException e) {
            // Whatever the reason (bad format, signature, identifier), the event is dropped, not the batch.
            return new Dropped(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Waits for the helpers' last events. Every event is taken by a running thread before the
     * calling thread gets here, so the wait is at most one event's checks long.
     */
    private static void awaitUninterruptibly(CountDownLatch done) {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
