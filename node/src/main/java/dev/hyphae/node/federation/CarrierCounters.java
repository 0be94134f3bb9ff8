package dev.hyphae.node.federation;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one carrier (libp2p, Tor) did for outgoing federation requests, for metrics: how many
 * requests it was given, how many it delivered (any answer from the remote, including an error
 * status), how many failed to reach the destination, and how long the last delivered one took.
 */
public final class CarrierCounters {
    private final String carrier;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastLatencyNanos = new AtomicLong(-1);

    public CarrierCounters(String carrier) {
        this.carrier = Objects.requireNonNull(carrier, "carrier");
    }

    public String carrier() {
        return carrier;
    }

    public long attempts() {
        return attempts.get();
    }

    /** Requests the remote answered (2xx or an error status). */
    public long successes() {
        return successes.get();
    }

    /** Requests that did not reach the remote over this carrier. */
    public long failures() {
        return failures.get();
    }

    /** The round trip of the last answered request; zero before any. */
    public Duration lastLatency() {
        long nanos = lastLatencyNanos.get();
        return nanos < 0 ? Duration.ZERO : Duration.ofNanos(nanos);
    }

    void attempted() {
        attempts.incrementAndGet();
    }

    void succeeded(long nanos) {
        successes.incrementAndGet();
        lastLatencyNanos.set(nanos);
    }

    void failed() {
        failures.incrementAndGet();
    }

    @Override
    public String toString() {
        return carrier + ": " + attempts() + " attempts, " + successes() + " answered, " + failures() + " failed, last "
                + lastLatency().toMillis() + " ms";
    }
}
