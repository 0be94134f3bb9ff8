package dev.hyphae.store;

/** A unit of work that runs inside a write transaction; all or none of its changes are committed. */
@FunctionalInterface
public interface WriteUnit<T> {
    /**
     * Does the unit's reads and writes through {@code tx}. Throwing rolls back exactly this unit's
     * changes. The handle must not be kept or used after this method returns.
     */
    T run(WriteTransaction tx) throws Exception;
}
