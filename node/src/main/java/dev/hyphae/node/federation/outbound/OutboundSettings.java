package dev.hyphae.node.federation.outbound;

import java.time.Duration;
import java.util.Objects;

/**
 * How the federation sender batches and retries.
 *
 * @param maxPdus          PDUs in one transaction (the spec's limit is 50)
 * @param maxEdus          EDUs in one transaction (the spec's limit is 100)
 * @param minBackoff       the wait after a destination's first failed attempt
 * @param maxBackoff       the longest wait between attempts
 * @param sweepInterval    how often the queue is checked for items queued without a notice (for
 *                         example to-device messages queued by the E2EE code)
 * @param maxEphemeralEdus best-effort EDUs kept per destination while it is unreachable; the oldest
 *                         are dropped beyond this
 * @param requestTimeout   how long to wait for an answer before counting the attempt as failed
 *                         (a carrier that never answers must not stall a destination for good)
 */
public record OutboundSettings(int maxPdus, int maxEdus, Duration minBackoff, Duration maxBackoff,
        Duration sweepInterval, int maxEphemeralEdus, Duration requestTimeout) {
    /** The limits of a transaction in the spec. */
    public static final int SPEC_MAX_PDUS = 50;
    public static final int SPEC_MAX_EDUS = 100;

    public OutboundSettings {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (maxPdus < 1 || maxPdus > SPEC_MAX_PDUS) {
            throw new IllegalArgumentException("maxPdus must be in 1.." + SPEC_MAX_PDUS + ", was " + maxPdus);
        }
        if (maxEdus < 1 || maxEdus > SPEC_MAX_EDUS) {
            throw new IllegalArgumentException("maxEdus must be in 1.." + SPEC_MAX_EDUS + ", was " + maxEdus);
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 < min <= max, was " + minBackoff + ".." + maxBackoff);
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval must be positive, was " + sweepInterval);
        }
        if (maxEphemeralEdus < 0) {
            throw new IllegalArgumentException("maxEphemeralEdus must not be negative, was " + maxEphemeralEdus);
        }
    }

    /**
     * Full transactions, 1 s to 1 h backoff, a sweep every 2 s, 1000 best-effort EDUs per
     * destination, 2 minutes for an answer (onion services can be slow to reach).
     */
    public static OutboundSettings defaults() {
        return new OutboundSettings(SPEC_MAX_PDUS, SPEC_MAX_EDUS, Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofSeconds(2), 1000, Duration.ofMinutes(2));
    }

    public OutboundSettings withBackoff(Duration min, Duration max) {
        return new OutboundSettings(maxPdus, maxEdus, min, max, sweepInterval, maxEphemeralEdus, requestTimeout);
    }

    public OutboundSettings withBatchLimits(int pdus, int edus) {
        return new OutboundSettings(pdus, edus, minBackoff, maxBackoff, sweepInterval, maxEphemeralEdus, requestTimeout);
    }

    public OutboundSettings withSweepInterval(Duration interval) {
        return new OutboundSettings(maxPdus, maxEdus, minBackoff, maxBackoff, interval, maxEphemeralEdus, requestTimeout);
    }

    public OutboundSettings withRequestTimeout(Duration timeout) {
        return new OutboundSettings(maxPdus, maxEdus, minBackoff, maxBackoff, sweepInterval, maxEphemeralEdus, timeout);
    }
}
