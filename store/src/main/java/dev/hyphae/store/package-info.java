/**
 * The persistence API of a Hyphae node.
 *
 * <p>A {@link dev.hyphae.store.Store} is used through explicit units of work. Writes are
 * {@link dev.hyphae.store.WriteUnit}s submitted with {@link dev.hyphae.store.Store#write}; each runs
 * atomically on the store's single writer, and its future completes only once the data is durably
 * committed, so a client may be told "done" when the future completes. Reads are
 * {@link dev.hyphae.store.ReadUnit}s that see a consistent snapshot of committed data.
 *
 * <p>Events are kept as JSON text with the columns they are queried by; parsing, hashing and
 * authorising them is the business of the layers above. Room state is kept as snapshots
 * ("state groups") stored as deltas against a parent snapshot.
 *
 * <p>Every backend must pass the contract tests in {@code StoreContract} (test-jar).
 */
package dev.hyphae.store;
