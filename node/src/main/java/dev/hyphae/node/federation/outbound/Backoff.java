package dev.hyphae.node.federation.outbound;

import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with jitter: after the n-th consecutive failure the wait is
 * {@code min * 2^(n-1)}, plus up to half of that again at random so that many senders do not
 * retry in step, and never more than {@code max}.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final Random random;

    Backoff(long minMillis, long maxMillis, Random random) {
        if (minMillis <= 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("backoff must satisfy 0 < min <= max");
        }
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The wait in milliseconds after {@code failures} consecutive failures (at least 1). */
    long delayMillis(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        int doublings = Math.min(failures - 1, 62);
        long base = minMillis;
        for (int i = 0; i < doublings && base < maxMillis; i++) {
            base *= 2;
        }
        base = Math.min(base, maxMillis);
        long jitter = (long) (random.nextDouble() * (base / 2.0));
        return Math.min(maxMillis, base + jitter);
    }
}
