package dev.hyphae.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void aBurstPassesThenRequestsWaitForTheRefill() {
        RateLimiter limiter = new RateLimiter(new RateLimit(2, 3), nanos::get);
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(500, limiter.tryAcquire("a"), "one token takes half a second at 2 per second");
        nanos.addAndGet(250_000_000);
        assertEquals(250, limiter.tryAcquire("a"));
        nanos.addAndGet(250_000_000);
        assertEquals(0, limiter.tryAcquire("a"));
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), nanos::get);
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(0, limiter.tryAcquire("b"));
        assertEquals(1000, limiter.tryAcquire("a"));
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurst() {
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 2), nanos::get);
        limiter.tryAcquire("a");
        nanos.addAndGet(3_600_000_000_000L);
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(1000, limiter.tryAcquire("a"));
    }

    @Test
    void anUnlimitedLimiterAlwaysAdmits() {
        RateLimiter limiter = new RateLimiter(RateLimit.unlimited(), nanos::get);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, limiter.tryAcquire("a"));
        }
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 0));
    }

    @Test
    void aKeyWhoseLimitRisesRefillsAtTheNewRateFromThen() {
        java.util.Set<String> raised = new java.util.HashSet<>();
        RateLimiter limiter = new RateLimiter(key -> raised.contains(key) ? new RateLimit(10, 20) : new RateLimit(1, 1),
                nanos::get);
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(1000, limiter.tryAcquire("a"), "one per second before the rise");
        raised.add("a");
        assertEquals(100, limiter.tryAcquire("a"), "the empty bucket refills at ten per second now");
        nanos.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 20; i++) {
            assertEquals(0, limiter.tryAcquire("a"));
        }
        assertEquals(100, limiter.tryAcquire("a"), "capped by the new burst");
        assertEquals(0, limiter.tryAcquire("b"));
        assertEquals(1000, limiter.tryAcquire("b"), "other keys keep the old limit");
    }
}
