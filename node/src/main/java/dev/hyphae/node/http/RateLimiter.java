package dev.hyphae.node.http;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** One token bucket per key (a user ID or an IP address). Safe for concurrent use. */
public final class RateLimiter {
    /** Above this many buckets, full (idle) ones are dropped: they equal a new bucket. */
    private static final int PRUNE_ABOVE = 10_000;

    private final RateLimit limit;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(RateLimit limit, LongSupplier nanoTime) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
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
        if (limit.isUnlimited()) {
            return 0;
        }
        if (buckets.size() > PRUNE_ABOVE) {
            long now = nanoTime.getAsLong();
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), nanoTime.getAsLong()))
                .take(nanoTime.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double missing = 1 - tokens;
            return Math.max(1, (long) Math.ceil(missing / limit.perSecond() * 1000));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= limit.burst();
        }

        private void refill(long now) {
            double elapsedSeconds = Math.max(0, now - refilledAt) / 1e9;
            tokens = Math.min(limit.burst(), tokens + elapsedSeconds * limit.perSecond());
            refilledAt = now;
        }
    }
}
