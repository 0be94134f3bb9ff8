package dev.hyphae.node.federation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which carrier last reached each destination after the ones before it failed, so that a node
 * reachable over Tor only does not cost a libp2p timeout on every request. The memory fades: after
 * {@code retryEarlier} the earlier carriers are tried first again (the peer may be back on libp2p),
 * and it holds at most {@code maxDestinations} entries, dropping the least recently used.
 */
final class CarrierMemory {
    private record Reached(int carrier, long atNanos) {
    }

    private final long retryEarlierNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Reached> reached;

    CarrierMemory(int maxDestinations, Duration retryEarlier, LongSupplier nanoTime) {
        if (maxDestinations < 1) {
            throw new IllegalArgumentException("maxDestinations must be at least 1");
        }
        this.retryEarlierNanos = retryEarlier.toNanos();
        this.nanoTime = nanoTime;
        this.reached = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Reached> eldest) {
                return size() > maxDestinations;
            }
        };
    }

    /** The index of the carrier to try first for {@code destination}. */
    synchronized int first(String destination) {
        Reached last = reached.get(destination);
        if (last == null) {
            return 0;
        }
        if (nanoTime.getAsLong() - last.atNanos() >= retryEarlierNanos) {
            reached.remove(destination);
            return 0;
        }
        return last.carrier();
    }

    /** Records that carrier {@code index} reached {@code destination}; the first carrier needs no memory. */
    synchronized void reached(String destination, int index) {
        if (index == 0) {
            reached.remove(destination);
        } else if (!reached.containsKey(destination) || reached.get(destination).carrier() != index) {
            reached.put(destination, new Reached(index, nanoTime.getAsLong()));
        }
    }

    /** Forgets {@code destination}: the first carrier is tried first again (e.g. it just connected over libp2p). */
    synchronized void forget(String destination) {
        reached.remove(destination);
    }

    synchronized int size() {
        return reached.size();
    }
}
