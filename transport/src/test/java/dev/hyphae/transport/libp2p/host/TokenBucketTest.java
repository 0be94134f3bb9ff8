package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void bucketAdmitsItsBurstThenRefillsAtItsRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(2, 1.0, now::get);

        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        now.addAndGet(1_000_000_000L);
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        assertFalse(bucket.isFull());
        now.addAndGet(5_000_000_000L);
        assertTrue(bucket.isFull());
    }
}
