package dev.hyphae.node.federation.rooms;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that help check the signatures and hashes of large batches of received events
 * ({@link PduBatchChecks}): one fewer than the machine has cores (the calling thread is the other),
 * at least one. Daemon threads that end after a while idle, so an idle node holds none and nothing
 * needs shutting down.
 */
final class VerificationPool {
    private static final long IDLE_SECONDS = 30;

    private VerificationPool() {
    }

    /** How many helping tasks a batch hands to the pool. */
    static int helpers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    static ExecutorService create() {
        int threads = helpers();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "pdu-verify-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
