package dev.hyphae.node.federation.outbound;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The sender's state for one destination. Touched only on the sender's thread, so it needs no
 * locks: at most one transaction is in flight, and a transaction that failed is kept to be sent
 * again unchanged.
 */
final class DestinationQueue {
    final String destination;
    /** Best-effort EDUs waiting for the next transaction. */
    final Deque<ObjectNode> ephemeral = new ArrayDeque<>();
    /** The transaction being delivered, or kept for a retry; null when the next one is to be built. */
    OutboundTransaction current;
    /** A request or a store write for this destination is under way. */
    boolean busy;
    /** Consecutive failures, as in the store's backoff. */
    int failures;
    /** No attempt before this time (epoch millis). */
    long retryAtTs;
    /** The retry timer, when one is set. */
    ScheduledFuture<?> timer;
    /**
     * After a refused transaction, items up to this queue position are sent one at a time, so
     * that the one the destination can never accept is found and dropped; 0 when not probing.
     */
    long probeUntilId;
    /**
     * Queue positions delivered whose removal from the store is still being written: the next
     * transaction is built without them instead of waiting for that write.
     */
    final Set<Long> removing = new HashSet<>();

    DestinationQueue(String destination) {
        this.destination = destination;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
