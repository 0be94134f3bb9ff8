package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InboundLimiterTest {

    private static final InetSocketAddress FIRST = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress SECOND = new InetSocketAddress("192.0.2.2", 40000);

    @Test
    void anIpOverItsBurstIsRefusedWhileOthersStillGetIn() {
        // One token a day: the burst is all the test can spend.
        InboundLimiter limiter = new InboundLimiter(new ConnectionLimits(100, 2, 2, 1.0 / 86_400), () -> 0);

        assertEquals(Optional.empty(), limiter.refusal(FIRST));
        assertEquals(Optional.empty(), limiter.refusal(FIRST));
        assertEquals(Optional.of("too many inbound connections from 192.0.2.1"), limiter.refusal(FIRST));
        assertEquals(Optional.empty(), limiter.refusal(SECOND));
    }

    @Test
    void aHostAtItsConnectionLimitRefusesEveryone() {
        AtomicInteger live = new AtomicInteger(3);
        InboundLimiter limiter = new InboundLimiter(new ConnectionLimits(3, 2, 10, 1.0), live::get);

        assertTrue(limiter.refusal(FIRST).orElseThrow().contains("connection limit of 3"));
        live.set(2);
        assertEquals(Optional.empty(), limiter.refusal(SECOND));
    }
}
