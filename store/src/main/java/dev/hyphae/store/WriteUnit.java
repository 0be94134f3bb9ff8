package dev.hyphae.store;

/**
 * A unit of work that runs inside a write transaction; all or none of its changes are committed.
 *
 * <p>Units run one after another on the store's single writer, so a unit should do database work
 * only: no network calls, no waiting on other threads. Compute what to write before submitting.
 * Reads through {@link Store#read} from inside a unit do not see the unit's own writes; use the
 * handle's reads for that.
 */
@FunctionalInterface
public interface WriteUnit<T> {
    /**
     * Does the unit's reads and writes through {@code tx}. Throwing rolls back exactly this unit's
     * changes. The handle must not be kept or used after this method returns.
     */
    T run(WriteTransaction tx) throws Exception;
}
