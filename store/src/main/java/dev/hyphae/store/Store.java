package dev.hyphae.store;

import java.util.concurrent.CompletableFuture;

/**
 * The persistence of one node.
 *
 * <p>All writes go through {@link #write}: a unit of work runs inside a write transaction on the
 * store's single writer, and the returned future completes only after the transaction holding the
 * unit has been durably committed. Reads run on separate read connections and never wait for the
 * writer.
 */
public interface Store extends AutoCloseable {

    /**
     * Queues a unit of work for the writer. The future completes with the unit's result after
     * COMMIT returned, or exceptionally with the unit's own exception (the unit's changes are then
     * rolled back, and only its changes), a {@link StoreException} when the commit failed, or a
     * {@link StoreClosedException} when the store is closed.
     *
     * <p>Dependent stages attached with the non-async {@code thenXxx} methods run on the store's
     * notification thread; attach slow work with the {@code ...Async} variants.
     *
     * @throws StoreClosedException when the store is already closed
     * @throws IllegalStateException when called from inside a write unit (it would wait on itself)
     */
    <T> CompletableFuture<T> write(WriteUnit<T> unit);

    /**
     * Runs a unit of reads in one read transaction (a consistent snapshot of committed data) on the
     * caller's thread. A {@link RuntimeException} thrown by the unit is rethrown as is; a checked one
     * is wrapped in a {@link StoreException}.
     */
    <T> T read(ReadUnit<T> unit);

    /** The schema version of the open database. */
    int schemaVersion();

    /**
     * Stops accepting writes, lets the writer finish everything queued before, and closes all
     * connections. Idempotent.
     */
    @Override
    void close();
}
