package dev.hyphae.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The durable queue of PDUs and EDUs waiting for delivery to other servers, with each
 * destination's backoff. An item is queued in the same write unit that stores the event it
 * carries, so nothing acknowledged to a client can be lost before it is delivered; it leaves the
 * queue only when delivered or handed on (for example to the destination's mailbox).
 */
public interface FederationQueue {
    /** The oldest items queued for the destination, in queue order. */
    List<QueuedItem> pending(String destination, int limit);

    /** How many items are queued for the destination. */
    int count(String destination);

    /** Every destination with at least one queued item. */
    Set<String> destinationsWithPending();

    Optional<DestinationBackoff> backoff(String destination);

    interface Writer extends FederationQueue {
        /** Queues an item and returns its ID. */
        long enqueue(String destination, QueuedItem.Kind kind, String json, long queuedTs);

        /** Removes delivered (or handed-on) items; returns how many were removed. */
        int remove(Collection<Long> ids);

        /** Counts one more failure for the destination and sets when to retry. */
        DestinationBackoff recordFailure(String destination, long retryAtTs);

        /** Clears the destination's backoff after a successful delivery. */
        void recordSuccess(String destination);
    }
}
