package dev.hyphae.transport.libp2p.mux;

import dev.hyphae.transport.libp2p.NoLeaks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link StreamMuxer} must do. A muxer's test extends this class and says how to build
 * the muxer; the connection is a deterministic pair of embedded channels, and every test ends by
 * checking that no buffer leaked.
 */
@ExtendWith(NoLeaks.class)
public abstract class StreamMuxerContract {
    private static final int MEBIBYTE = 1024 * 1024;

    private MuxerPair pair;

    /** A muxer that accepts at most {@code maxInboundStreams} concurrent streams from the remote. */
    protected abstract StreamMuxer newMuxer(int maxInboundStreams);

    private MuxerPair pair(Supplier<StreamProbe> inboundProbes) {
        return pair(inboundProbes, 1000);
    }

    private MuxerPair pair(Supplier<StreamProbe> inboundProbes, int listenerLimit) {
        pair = new MuxerPair(newMuxer(1000), newMuxer(listenerLimit), inboundProbes);
        return pair;
    }

    @AfterEach
    void closeAndCheckForLeaks() {
        if (pair != null) {
            pair.close();
        }
    }

    private ByteBuf bytes(byte[] data) {
        return pair.alloc.buffer(data.length).writeBytes(data);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void opensAndAcceptsStreamsInBothDirections() {
        MuxerPair p = pair(StreamProbe::recorder);
        MuxedStream fromDialer = p.open(p.dialer, StreamProbe.recorder());
        MuxedStream fromListener = p.open(p.listener, StreamProbe.recorder());
        fromDialer.writeAndFlush(bytes(ascii("to listener")));
        fromListener.writeAndFlush(bytes(ascii("to dialer")));
        p.pump();

        assertTrue(fromDialer.isOutbound());
        assertEquals(1, p.acceptedByListener.size());
        assertEquals(1, p.acceptedByDialer.size());
        assertFalse(p.acceptedByListener.get(0).stream().isOutbound());
        assertArrayEquals(ascii("to listener"), p.acceptedByListener.get(0).received());
        assertArrayEquals(ascii("to dialer"), p.acceptedByDialer.get(0).received());
        assertEquals(2, p.dialer.streamCount());
        assertEquals(2, p.listener.streamCount());
    }

    @Test
    void transfersOneMebibyteByteForByteWhileTheReaderControlsTheWindow() {
        MuxerPair p = pair(() -> new StreamProbe(false, false));
        byte[] data = random(MEBIBYTE, 1);
        MuxedStream stream = p.open(p.dialer, StreamProbe.recorder());
        ChannelFuture written = stream.writeAndFlush(bytes(data));
        p.pump();

        StreamProbe reader = p.acceptedByListener.get(0);
        assertEquals(0, reader.received().length, "a paused reader receives nothing");
        assertFalse(written.isDone(), "a writer cannot send 1 MiB into a paused reader's window");

        reader.stream().config().setAutoRead(true);
        p.pump();
        assertTrue(written.isSuccess());
        assertArrayEquals(data, reader.received());
    }

    @Test
    void transfersOneMebibyteEachWayAtOnce() {
        MuxerPair p = pair(StreamProbe::echo);
        byte[] data = random(MEBIBYTE, 2);
        StreamProbe dialerSide = StreamProbe.recorder();
        MuxedStream stream = p.open(p.dialer, dialerSide);
        stream.writeAndFlush(bytes(data));
        stream.shutdownOutput();
        p.pump();

        assertArrayEquals(data, p.acceptedByListener.get(0).received());
        assertArrayEquals(data, dialerSide.received());
    }

    @Test
    void halfCloseDeliversAllDataThenEndOfInputAndTheStreamEnds() {
        MuxerPair p = pair(StreamProbe::echo);
        StreamProbe dialerSide = StreamProbe.recorder();
        MuxedStream stream = p.open(p.dialer, dialerSide);
        stream.writeAndFlush(bytes(ascii("ping")));
        ChannelFuture fin = stream.shutdownOutput();
        p.pump();

        StreamProbe listenerSide = p.acceptedByListener.get(0);
        assertTrue(fin.isSuccess());
        assertTrue(stream.isOutputShutdown());
        assertArrayEquals(ascii("ping"), listenerSide.received());
        assertTrue(listenerSide.inputShutdown());
        assertArrayEquals(ascii("ping"), dialerSide.received(), "the remote may write after our half-close");
        assertTrue(dialerSide.inputShutdown());
        assertTrue(dialerSide.inactive() && listenerSide.inactive(), "a stream closed both ways ends");
        assertEquals(0, p.dialer.streamCount());
        assertEquals(0, p.listener.streamCount());
    }

    @Test
    void resetAbortsTheStreamOnBothSides() {
        MuxerPair p = pair(StreamProbe::recorder);
        StreamProbe dialerSide = StreamProbe.recorder();
        MuxedStream stream = p.open(p.dialer, dialerSide);
        stream.writeAndFlush(bytes(ascii("partial")));
        p.pump();
        StreamProbe listenerSide = p.acceptedByListener.get(0);

        stream.reset();
        p.pump();
        assertFalse(stream.isOpen());
        assertTrue(listenerSide.wasReset());
        assertTrue(listenerSide.inactive());
        assertFalse(listenerSide.stream().writeAndFlush(bytes(ascii("late"))).isSuccess());
        assertEquals(0, p.dialer.streamCount());
        assertEquals(0, p.listener.streamCount());
    }

    @Test
    void carriesManyConcurrentStreamsWithoutMixingTheirData() {
        MuxerPair p = pair(StreamProbe::echo);
        List<StreamProbe> probes = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            MuxedSession side = i % 2 == 0 ? p.dialer : p.listener;
            StreamProbe probe = StreamProbe.recorder();
            var future = side.openStream(probe);
            probes.add(probe);
            sent.add(random(10_000 + i, 100 + i));
            final int index = i;
            future.addListener(f -> {
                MuxedStream s = (MuxedStream) f.getNow();
                s.writeAndFlush(bytes(sent.get(index)));
                s.shutdownOutput();
            });
        }
        p.pump();
        for (int i = 0; i < probes.size(); i++) {
            assertArrayEquals(sent.get(i), probes.get(i).received(), "stream " + i);
            assertTrue(probes.get(i).inactive());
        }
        assertEquals(0, p.dialer.streamCount());
        assertEquals(0, p.listener.streamCount());
    }

    @Test
    void refusesInboundStreamsAboveTheLimit() {
        MuxerPair p = pair(StreamProbe::recorder, 3);
        List<StreamProbe> probes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            StreamProbe probe = StreamProbe.recorder();
            probes.add(probe);
            p.open(p.dialer, probe);
        }
        p.pump();
        assertEquals(3, p.acceptedByListener.size());
        assertFalse(probes.get(0).wasReset());
        assertTrue(probes.get(3).wasReset());
        assertTrue(p.dialerChannel.isActive(), "refusing a stream does not end the connection");

        // Once one ends, there is room again.
        probes.get(0).stream().reset();
        p.pump();
        StreamProbe fifth = StreamProbe.recorder();
        p.open(p.dialer, fifth);
        assertFalse(fifth.wasReset());
        assertEquals(4, p.acceptedByListener.size());
    }

    @Test
    void goAwayStopsNewStreamsButLetsOpenOnesFinish() {
        MuxerPair p = pair(StreamProbe::echo);
        StreamProbe dialerSide = StreamProbe.recorder();
        MuxedStream stream = p.open(p.dialer, dialerSide);
        stream.writeAndFlush(bytes(ascii("first")));
        p.pump();

        Future<Void> closed = p.listener.goAway();
        p.pump();
        Future<MuxedStream> refused = p.dialer.openStream(StreamProbe.recorder());
        p.pump();
        assertFalse(refused.isSuccess(), "no new streams after Go Away");
        assertTrue(p.dialerChannel.isActive(), "open streams keep the connection");

        stream.writeAndFlush(bytes(ascii(" and last")));
        stream.shutdownOutput();
        p.pump();
        assertArrayEquals(ascii("first and last"), dialerSide.received());
        assertTrue(closed.isSuccess(), "the connection closes once the last stream ends");
        assertFalse(p.listenerChannel.isActive());
    }

    @Test
    void losingTheConnectionEndsEveryStream() {
        MuxerPair p = pair(StreamProbe::recorder);
        StreamProbe outbound = StreamProbe.recorder();
        p.open(p.dialer, outbound);
        p.open(p.listener, StreamProbe.recorder());
        StreamProbe inbound = p.acceptedByDialer.get(0);
        p.dialerChannel.close();
        p.pump();
        assertTrue(outbound.inactive() && inbound.inactive());
        assertTrue(outbound.wasReset() && inbound.wasReset());
        assertEquals(0, p.dialer.streamCount());
        assertFalse(p.dialer.openStream(StreamProbe.recorder()).isSuccess());
    }
}
