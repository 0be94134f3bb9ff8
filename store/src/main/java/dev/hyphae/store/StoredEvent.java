package dev.hyphae.store;

/**
 * An event as stored.
 *
 * @param streamOrdering  the position of the event in this node's stream of events: strictly
 *                        increasing in commit order, unique, never reused (there may be gaps)
 * @param stateKey        the state key, or {@code null} for a non-state event
 * @param rejectionReason why the event was rejected, or {@code null} when it was not
 */
public record StoredEvent(
        long streamOrdering,
        String eventId,
        String roomId,
        String type,
        String stateKey,
        String sender,
        long depth,
        long originServerTs,
        String json,
        boolean outlier,
        String rejectionReason) {

    public boolean isState() {
        return stateKey != null;
    }

    public boolean isRejected() {
        return rejectionReason != null;
    }
}
