package dev.hyphae.transport.libp2p.host;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code capacity} tokens and gains {@code perSecond} tokens a second;
 * each admitted event takes one. Not thread-safe on its own; the caller synchronizes.
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long updatedAt;

    TokenBucket(int capacity, double perSecond, LongSupplier nanoClock) {
        if (capacity < 1 || perSecond <= 0) {
            throw new IllegalArgumentException("capacity and rate must be positive");
        }
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.updatedAt = nanoClock.getAsLong();
    }

    boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - updatedAt) * perNano);
        updatedAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket is full again, so it may be forgotten. */
    boolean isFull() {
        long now = nanoClock.getAsLong();
        return tokens + (now - updatedAt) * perNano >= capacity;
    }
}
