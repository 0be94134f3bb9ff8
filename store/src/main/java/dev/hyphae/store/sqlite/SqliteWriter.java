package dev.hyphae.store.sqlite;

import dev.hyphae.store.StoreClosedException;
import dev.hyphae.store.StoreException;
import dev.hyphae.store.WriteUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The single writer. It owns the write connection and runs queued units in SQLite transactions.
 *
 * <p>Group commit: every unit waiting when the writer becomes free (up to a limit) runs in the
 * same transaction, each inside its own SAVEPOINT so that a failing unit rolls back alone. One
 * COMMIT, and so one fsync, then makes the whole group durable. Futures complete, and after-commit
 * actions run, on a separate notification thread once COMMIT has returned, so that callers'
 * continuations never hold up the writer.
 */
final class SqliteWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
    private static final PendingWrite<Void> STOP = new PendingWrite<>(tx -> null);

    private final SqliteSession session;
    private final int maxBatchUnits;
    private final long lingerNanos;
    private final BlockingQueue<PendingWrite<?>> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final Thread thread;
    private final ExecutorService notifier;
    private volatile Thread notifierThread;
    private boolean closed;

    SqliteWriter(SqliteSession session, int maxBatchUnits, Duration linger, String name) {
        this.session = session;
        this.maxBatchUnits = maxBatchUnits;
        this.lingerNanos = linger.toNanos();
        this.notifier = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, name + "-notifier");
            t.setDaemon(true);
            notifierThread = t;
            return t;
        });
        this.thread = new Thread(this::run, name + "-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    <T> CompletableFuture<T> submit(WriteUnit<T> unit) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a write unit must not submit another write and wait for it;"
                    + " do the work in the same unit");
        }
        PendingWrite<T> pending = new PendingWrite<>(unit);
        synchronized (submitLock) {
            if (closed) {
                throw new StoreClosedException("the store is closed");
            }
            queue.add(pending);
        }
        return pending.future;
    }

    /** Lets the writer finish everything already queued, then stops it and closes the connection. */
    void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("the store cannot be closed from inside a write unit");
        }
        synchronized (submitLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        joinQuietly();
        notifier.shutdown();
        if (Thread.currentThread() != notifierThread) {
            try {
                if (!notifier.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("after-commit actions still running at close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        session.close();
    }

    private void joinQuietly() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<PendingWrite<?>> batch = new ArrayList<>();
        boolean stopping = false;
        int lastBatchSize = 0;
        while (!stopping) {
            try {
                collect(batch, lastBatchSize > 1);
            } catch (InterruptedException e) {
                // Only close() stops the writer; an interrupt alone must not lose queued writes.
                continue;
            }
            lastBatchSize = batch.size();
            // close() queues STOP last, under the lock that keeps new writes out.
            if (batch.get(batch.size() - 1) == STOP) {
                batch.remove(batch.size() - 1);
                stopping = true;
            }
            if (!batch.isEmpty()) {
                try {
                    commitBatch(batch);
                } catch (RuntimeException | Error e) {
                    LOG.error("write batch failed unexpectedly", e);
                    rollbackQuietly();
                    for (PendingWrite<?> pending : batch) {
                        pending.failed(e);
                    }
                    deliver(List.copyOf(batch));
                }
            }
            batch.clear();
        }
    }

    /**
     * Takes the next units. When the last transaction grouped several units, writers are busy, and
     * the writer lingers briefly for the submitters it just answered: otherwise they miss this
     * transaction and every other transaction would carry only half of them.
     */
    private void collect(List<PendingWrite<?>> batch, boolean linger) throws InterruptedException {
        if (batch.isEmpty()) {
            batch.add(queue.take());
        }
        queue.drainTo(batch, maxBatchUnits - batch.size());
        if (!linger || lingerNanos == 0) {
            return;
        }
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < maxBatchUnits && batch.get(batch.size() - 1) != STOP) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            PendingWrite<?> next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatchUnits - batch.size());
        }
    }

    private void commitBatch(List<PendingWrite<?>> batch) {
        try {
            session.executePrepared("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            abort(batch, new StoreException("beginning a write transaction failed: " + e.getMessage(), e));
            return;
        }
        for (PendingWrite<?> pending : batch) {
            SqliteTransaction tx = SqliteTransaction.forWrite(session);
            try {
                session.executePrepared("SAVEPOINT unit");
            } catch (SQLException e) {
                abort(batch, new StoreException("opening a savepoint failed: " + e.getMessage(), e));
                return;
            }
            try {
                pending.run(tx);
                tx.end();
                session.executePrepared("RELEASE unit");
            } catch (Throwable unitFailure) {
                tx.end();
                pending.failed(unitFailure);
                try {
                    session.executePrepared("ROLLBACK TO unit");
                    session.executePrepared("RELEASE unit");
                } catch (SQLException e) {
                    // The whole transaction is gone (for example on an I/O error); nothing in it can commit.
                    abort(batch, new StoreException("rolling back a failed unit failed: " + e.getMessage(), e));
                    return;
                }
            }
        }
        try {
            session.executePrepared("COMMIT");
        } catch (SQLException e) {
            abort(batch, new StoreException("committing a write transaction failed: " + e.getMessage(), e));
            return;
        }
        LOG.debug("committed a write transaction of {} units", batch.size());
        deliver(List.copyOf(batch));
    }

    /** Rolls back the open transaction and fails every unit of the batch that had not failed itself. */
    private void abort(List<PendingWrite<?>> batch, StoreException cause) {
        LOG.error("write transaction of {} units aborted", batch.size(), cause);
        rollbackQuietly();
        for (PendingWrite<?> pending : batch) {
            if (!pending.hasFailed()) {
                pending.failed(cause);
            }
        }
        deliver(List.copyOf(batch));
    }

    /** Ends any open transaction, so that the next batch can begin one. */
    private void rollbackQuietly() {
        try {
            session.executePrepared("ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("rollback found no transaction to end", e);
        }
    }

    private void deliver(List<PendingWrite<?>> batch) {
        notifier.execute(() -> {
            for (PendingWrite<?> pending : batch) {
                for (Runnable action : pending.afterCommit()) {
                    try {
                        action.run();
                    } catch (Throwable e) {
                        // Whatever an action does, the futures of the batch must still complete.
                        LOG.error("an after-commit action failed", e);
                    }
                }
                pending.complete();
            }
        });
    }
}
