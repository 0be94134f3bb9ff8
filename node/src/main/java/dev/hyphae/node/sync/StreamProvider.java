package dev.hyphae.node.sync;

/**
 * One kind of data /sync returns, with its own stream of positions (room events, account data):
 * it reports its newest position and adds what changed between two positions to a response.
 */
public interface StreamProvider {
    /** The newest position of the stream. */
    long latestPosition();

    /**
     * Called at the start of each sync attempt of the user, before the positions are read, for a
     * stream the syncing itself changes (presence: {@code set_presence}), so that the change is
     * part of this sync rather than news that wakes the next one at once.
     */
    default void beforeSync(SyncRequest request) {
    }

    /**
     * Adds to {@code response} what changed for the request's user after {@code from} up to and
     * including {@code to} (everything up to {@code to} when {@code from} is 0).
     *
     * @return the position the next sync should start after
     */
    long fill(SyncRequest request, long from, long to, SyncResponse response);
}
