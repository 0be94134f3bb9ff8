package dev.hyphae.node.federation.outbound;

import dev.hyphae.store.Store;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of outbound federation, per destination, for the product to export: deliveries,
 * failures, dropped items, the latency of the last delivery; queue lengths are read from the
 * store when asked.
 */
public final class FederationMetrics {
    /**
     * One destination's counters.
     *
     * @param transactionsDelivered transactions the destination answered with 200
     * @param pdusDelivered         PDUs in those transactions
     * @param edusDelivered         EDUs in those transactions
     * @param failures              attempts that failed and will be retried (unreachable, 5xx, ...)
     * @param rejections            transactions refused with a 4xx that no retry will change
     * @param itemsDropped          queued items given up after a refusal, and best-effort EDUs dropped
     * @param lastRoundTripMillis   request to answer of the last delivered transaction, or -1
     * @param lastQueueLatencyMillis queueing to delivery of the oldest item of the last delivered
     *                              transaction, or -1
     */
    public record DestinationStats(long transactionsDelivered, long pdusDelivered, long edusDelivered, long failures,
            long rejections, long itemsDropped, long lastRoundTripMillis, long lastQueueLatencyMillis) {
    }

    private static final class Counters {
        final AtomicLong transactions = new AtomicLong();
        final AtomicLong pdus = new AtomicLong();
        final AtomicLong edus = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong rejections = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong lastRoundTrip = new AtomicLong(-1);
        final AtomicLong lastQueueLatency = new AtomicLong(-1);

        DestinationStats snapshot() {
            return new DestinationStats(transactions.get(), pdus.get(), edus.get(), failures.get(), rejections.get(),
                    dropped.get(), lastRoundTrip.get(), lastQueueLatency.get());
        }
    }

    private final Store store;
    private final Map<String, Counters> destinations = new ConcurrentHashMap<>();

    public FederationMetrics(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The counters of every destination the sender has dealt with, by server name. */
    public Map<String, DestinationStats> destinations() {
        Map<String, DestinationStats> stats = new TreeMap<>();
        destinations.forEach((destination, counters) -> stats.put(destination, counters.snapshot()));
        return stats;
    }

    /** One destination's counters (all zero, latencies -1, for one never dealt with). */
    public DestinationStats destination(String destination) {
        Counters counters = destinations.get(destination);
        return counters == null ? new Counters().snapshot() : counters.snapshot();
    }

    /** How many items wait in the durable queue for each destination that has any. */
    public Map<String, Integer> queueLengths() {
        return store.read(tx -> {
            Map<String, Integer> lengths = new TreeMap<>();
            for (String destination : tx.federationQueue().destinationsWithPending()) {
                lengths.put(destination, tx.federationQueue().count(destination));
            }
            return lengths;
        });
    }

    public int queueLength(String destination) {
        return store.read(tx -> tx.federationQueue().count(destination));
    }

    void delivered(String destination, long pdus, long edus, long roundTripMillis, long queueLatencyMillis) {
        Counters counters = counters(destination);
        counters.transactions.incrementAndGet();
        counters.pdus.addAndGet(pdus);
        counters.edus.addAndGet(edus);
        counters.lastRoundTrip.set(roundTripMillis);
        counters.lastQueueLatency.set(queueLatencyMillis);
    }

    void failed(String destination) {
        counters(destination).failures.incrementAndGet();
    }

    void rejected(String destination) {
        counters(destination).rejections.incrementAndGet();
    }

    void dropped(String destination, long items) {
        counters(destination).dropped.addAndGet(items);
    }

    private Counters counters(String destination) {
        return destinations.computeIfAbsent(destination, d -> new Counters());
    }
}
