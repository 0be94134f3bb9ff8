package dev.hyphae.transport.libp2p.ping;

import dev.hyphae.transport.libp2p.NoLeaks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.mux.MuxerPair;
import dev.hyphae.transport.libp2p.mux.StreamProbe;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class PingTest {
    private static final ChannelInitializer<Channel> RESPONDERS = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new PingResponder());
        }
    };

    private static MuxerPair yamuxPair() {
        return new MuxerPair(new YamuxMuxer(YamuxConfig.defaults()), RESPONDERS);
    }

    @Test
    void responderEchoesPayloadsSentTogetherWithTheFinThenClosesItsSide() {
        try (MuxerPair pair = yamuxPair()) {
            byte[] payloads = new byte[64];
            new Random(1).nextBytes(payloads);
            StreamProbe dialer = StreamProbe.recorder();
            MuxedStream stream = pair.open(pair.dialer, dialer);
            stream.writeAndFlush(pair.alloc.buffer().writeBytes(payloads));
            stream.shutdownOutput();
            pair.pump();
            assertArrayEquals(payloads, dialer.received());
            assertTrue(dialer.inputShutdown(), "the responder half-closes after the remote's FIN");
            assertTrue(dialer.inactive());
            assertEquals(0, pair.listener.streamCount());
        }
    }

    @Test
    void responderEchoesAPayloadSplitAcrossReadsAndKeepsAPartialOneBack() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new PingResponder());
        byte[] payload = new byte[32];
        new Random(2).nextBytes(payload);
        ch.writeInbound(alloc.buffer().writeBytes(payload, 0, 10));
        ch.writeInbound(alloc.buffer().writeBytes(payload, 10, 22));
        ch.writeInbound(alloc.buffer().writeBytes(payload, 0, 5));
        ByteBuf echoed = ch.readOutbound();
        assertArrayEquals(payload, ByteBufUtil.getBytes(echoed));
        echoed.release();
        assertNull(ch.readOutbound());
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(ch.isOpen(), "without half-close support the responder closes");
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void initiatorMeasuresTheRoundTripOverYamux() {
        AtomicLong clock = new AtomicLong();
        PingInitiator ping = new PingInitiator(new Random(3), () -> clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(4)),
                Duration.ofSeconds(10));
        try (MuxerPair pair = yamuxPair()) {
            MuxedStream stream = pair.open(pair.dialer, ping);
            assertTrue(ping.result().isDone());
            assertEquals(Duration.ofMillis(4), ping.result().getNow(null));
            assertFalse(stream.isOpen());
            assertEquals(0, pair.dialer.streamCount(), "both sides closed the stream");
        }
    }

    private static EmbeddedChannel initiatorChannel(TrackingAllocator alloc, PingInitiator ping) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(ping);
        return ch;
    }

    private static byte[] sentPayload(EmbeddedChannel ch) {
        ByteBuf sent = ch.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(sent);
        sent.release();
        return bytes;
    }

    @Test
    void initiatorFailsOnAWrongEcho() {
        TrackingAllocator alloc = new TrackingAllocator();
        PingInitiator ping = new PingInitiator(new Random(4), System::nanoTime, Duration.ofSeconds(10));
        EmbeddedChannel ch = initiatorChannel(alloc, ping);
        byte[] payload = sentPayload(ch);
        assertEquals(32, payload.length);
        byte[] wrong = Arrays.copyOf(payload, 32);
        wrong[31] ^= 1;
        ch.writeInbound(alloc.buffer().writeBytes(wrong));
        assertTrue(ping.result().isCompletedExceptionally());
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void initiatorFailsWhenTheStreamEndsBeforeTheWholeEcho() {
        TrackingAllocator alloc = new TrackingAllocator();
        PingInitiator ping = new PingInitiator(new Random(5), System::nanoTime, Duration.ofSeconds(10));
        EmbeddedChannel ch = initiatorChannel(alloc, ping);
        byte[] payload = sentPayload(ch);
        ch.writeInbound(alloc.buffer().writeBytes(payload, 0, 31));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertTrue(ping.result().isCompletedExceptionally());
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    @Test
    void initiatorFailsAfterTheTimeout() {
        TrackingAllocator alloc = new TrackingAllocator();
        PingInitiator ping = new PingInitiator(new Random(6), System::nanoTime, Duration.ofSeconds(10));
        EmbeddedChannel ch = initiatorChannel(alloc, ping);
        sentPayload(ch);
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ping.result().isDone());
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ping.result().isCompletedExceptionally());
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
