package dev.hyphae.node.http;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a user ID or an IP address), all of one limit or each of the limit its
 * key has at the moment. Safe for concurrent use.
 */
public final class RateLimiter {
    /** Above this many buckets, full (idle) ones are dropped: they equal a new bucket. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Function<String, RateLimit> limitOf;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimit limit, LongSupplier nanoTime) {
        this(constant(limit), nanoTime);
    }

    /**
     * @param limitOf the limit of a key, asked on every request: a key whose limit changes keeps
     *                its bucket's tokens, refilled and capped by the new limit from then on
     */
    public RateLimiter(Function<String, RateLimit> limitOf, LongSupplier nanoTime) {
        this.limitOf = Objects.requireNonNull(limitOf, "limitOf");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    private static Function<String, RateLimit> constant(RateLimit limit) {
        Objects.requireNonNull(limit, "limit");
        return key -> limit;
    }

    public RateLimiter(RateLimit limit) {
        this(limit, System::nanoTime);
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @return 0 when the request may go ahead, else how many milliseconds until it could
     */
    public long tryAcquire(String key) {
        Objects.requireNonNull(key, "key");
        RateLimit limit = limitOf.apply(key);
        if (limit.isUnlimited()) {
            return 0;
        }
        if (buckets.size() > PRUNE_ABOVE) {
            long now = nanoTime.getAsLong();
            buckets.entrySet().removeIf(entry -> entry.getValue().isFull(now, limitOf.apply(entry.getKey())));
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), nanoTime.getAsLong()))
                .take(nanoTime.getAsLong(), limit);
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now, RateLimit limit) {
            refill(now, limit);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double missing = 1 - tokens;
            return Math.max(1, (long) Math.ceil(missing / limit.perSecond() * 1000));
        }

        synchronized boolean isFull(long now, RateLimit limit) {
            if (limit.isUnlimited()) {
                return true;
            }
            refill(now, limit);
            return tokens >= limit.burst();
        }

        private void refill(long now, RateLimit limit) {
            double elapsedSeconds = Math.max(0, now - refilledAt) / 1e9;
            tokens = Math.min(limit.burst(), tokens + elapsedSeconds * limit.perSecond());
            refilledAt = now;
        }
    }
}
