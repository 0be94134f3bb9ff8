package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.NoLeaks;
import static dev.hyphae.transport.libp2p.yamux.YamuxFlags.ACK;
import static dev.hyphae.transport.libp2p.yamux.YamuxFlags.FIN;
import static dev.hyphae.transport.libp2p.yamux.YamuxFlags.RST;
import static dev.hyphae.transport.libp2p.yamux.YamuxFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.mux.StreamProbe;
import dev.hyphae.transport.libp2p.yamux.RawPeer.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class YamuxSessionTest {
    private static final int WINDOW = YamuxConfig.INITIAL_WINDOW;
    private RawPeer peer;

    private RawPeer peer(boolean client) {
        peer = new RawPeer(client, YamuxConfig.defaults());
        return peer;
    }

    @AfterEach
    void noLeaks() {
        if (peer != null) {
            peer.close();
        }
    }

    private static void assertGoAway(GoAwayCode code, List<Frame> frames) {
        Frame last = frames.get(frames.size() - 1);
        assertEquals(YamuxType.GO_AWAY, last.type(), frames.toString());
        assertEquals(code.code(), last.length());
    }

    private MuxedStream open(StreamProbe probe) {
        var future = peer.session.openStream(probe);
        peer.channel.runPendingTasks();
        return future.getNow();
    }

    @Test
    void pingsAtStartAndMeasuresTheRoundTrip() {
        RawPeer p = peer(true);
        List<Frame> start = p.written();
        assertEquals(1, start.size());
        assertEquals(YamuxType.PING, start.get(0).type());
        assertEquals(SYN, start.get(0).flags());
        p.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(7));
        p.send(YamuxType.PING, ACK, 0, start.get(0).length());
        assertEquals(Duration.ofMillis(7), p.session.rtt().orElseThrow());
        assertTrue(p.channel.isActive());
    }

    @Test
    void answersPingSynWithAckEchoingTheOpaqueValue() {
        RawPeer p = peer(false);
        p.written();
        p.send(YamuxType.PING, SYN, 0, 0xCAFEBABEL);
        List<Frame> out = p.written();
        assertEquals(List.of(new Frame(YamuxType.PING, ACK, 0, 0xCAFEBABEL, new byte[0])).toString(), out.toString());
    }

    @Test
    void unsolicitedPingAckIsAProtocolError() {
        RawPeer p = peer(false);
        p.written();
        p.send(YamuxType.PING, ACK, 0, 12345);
        assertGoAway(GoAwayCode.PROTOCOL_ERROR, p.written());
        assertFalse(p.channel.isActive());
    }

    @Test
    void pingWithFlagsOtherThanExactlySynOrAckIsAProtocolError() {
        RawPeer p = peer(false);
        p.written();
        p.send(YamuxType.PING, SYN | ACK, 0, 1);
        assertGoAway(GoAwayCode.PROTOCOL_ERROR, p.written());
        assertFalse(p.channel.isActive());
    }

    @Test
    void dialerOpensStreamsWithWindowUpdateSynDeltaZeroOnOddIds() {
        RawPeer p = peer(true);
        p.written();
        MuxedStream first = open(StreamProbe.recorder());
        MuxedStream second = open(StreamProbe.recorder());
        assertEquals(1, first.streamId());
        assertEquals(3, second.streamId());
        List<Frame> out = p.written();
        assertEquals(new Frame(YamuxType.WINDOW_UPDATE, SYN, 1, 0, new byte[0]).toString(), out.get(0).toString());
        assertEquals(new Frame(YamuxType.WINDOW_UPDATE, SYN, 3, 0, new byte[0]).toString(), out.get(1).toString());
    }

    @Test
    void listenerOpensStreamsOnEvenIds() {
        RawPeer p = peer(false);
        assertEquals(2, open(StreamProbe.recorder()).streamId());
        assertEquals(4, open(StreamProbe.recorder()).streamId());
    }

    @Test
    void acknowledgesAnInboundStreamAndDeliversItsData() {
        RawPeer p = peer(false);
        p.written();
        p.sendData(SYN, 1, new byte[] {1, 2, 3});
        List<Frame> out = p.written();
        assertEquals(new Frame(YamuxType.WINDOW_UPDATE, ACK, 1, 0, new byte[0]).toString(), out.get(0).toString());
        assertEquals(1, p.accepted.size());
        assertEquals(3, p.accepted.get(0).received().length);
    }

    @Test
    void remoteOpeningAStreamWithOurParityIsAProtocolError() {
        RawPeer p = peer(true);
        p.written();
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        assertGoAway(GoAwayCode.PROTOCOL_ERROR, p.written());
        assertFalse(p.channel.isActive());
        assertTrue(p.accepted.isEmpty());
    }

    @Test
    void streamFrameOnTheSessionIdIsAProtocolError() {
        RawPeer p = peer(false);
        p.written();
        p.sendData(0, 0, new byte[] {1});
        assertGoAway(GoAwayCode.PROTOCOL_ERROR, p.written());
        assertFalse(p.channel.isActive());
    }

    @Test
    void duplicateSynIsAProtocolError() {
        RawPeer p = peer(false);
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        assertGoAway(GoAwayCode.PROTOCOL_ERROR, p.written());
        assertTrue(p.accepted.get(0).wasReset(), "streams end with the connection");
    }

    @Test
    void dataBeyondTheReceiveWindowIsAProtocolError() {
        peer = new RawPeer(false, YamuxConfig.defaults(), false);
        RawPeer p = peer;
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.sendData(0, 1, new byte[WINDOW]);
        assertTrue(p.channel.isActive(), "exactly the window is allowed");
        p.sendData(0, 1, new byte[1]);
        assertGoAway(GoAwayCode.PROTOCOL_ERROR, p.written());
        assertFalse(p.channel.isActive());
    }

    @Test
    void windowUpdateThatOverflowsThirtyTwoBitsIsAProtocolError() {
        RawPeer p = peer(false);
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.send(YamuxType.WINDOW_UPDATE, 0, 1, 0xFFFF_FFFFL);
        assertGoAway(GoAwayCode.PROTOCOL_ERROR, p.written());
    }

    @Test
    void writesOnlyWithinTheRemoteWindowAndQueuesTheRest() {
        RawPeer p = peer(true);
        p.written();
        MuxedStream stream = open(StreamProbe.recorder());
        var written = stream.writeAndFlush(p.alloc.buffer().writeBytes(new byte[WINDOW + 1000]));
        long sent = p.writtenExceptPings().stream().filter(f -> f.type() == YamuxType.DATA).mapToLong(f -> f.data().length).sum();
        assertEquals(WINDOW, sent);
        assertFalse(written.isDone());
        assertFalse(stream.isWritable() && stream.bytesBeforeUnwritable() > 64 * 1024, "queued bytes count against writability");

        p.send(YamuxType.WINDOW_UPDATE, ACK, 1, 600);
        sent = p.writtenExceptPings().stream().mapToLong(f -> f.data().length).sum();
        assertEquals(600, sent);
        p.send(YamuxType.WINDOW_UPDATE, 0, 1, 10_000);
        assertEquals(400, p.writtenExceptPings().stream().mapToLong(f -> f.data().length).sum());
        assertTrue(written.isSuccess());
    }

    @Test
    void finWaitsForQueuedData() {
        RawPeer p = peer(true);
        p.written();
        MuxedStream stream = open(StreamProbe.recorder());
        stream.writeAndFlush(p.alloc.buffer().writeBytes(new byte[WINDOW + 10]));
        var fin = stream.shutdownOutput();
        assertTrue(p.writtenExceptPings().stream().noneMatch(f -> (f.flags() & FIN) != 0));
        assertFalse(fin.isDone());
        p.send(YamuxType.WINDOW_UPDATE, ACK, 1, 10);
        List<Frame> out = p.writtenExceptPings();
        assertEquals(10, out.get(0).data().length);
        assertEquals(FIN, out.get(out.size() - 1).flags());
        assertTrue(fin.isSuccess());
    }

    @Test
    void creditsConsumedDataWithWindowUpdates() {
        RawPeer p = peer(false);
        p.written();
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.written();
        p.sendData(0, 1, new byte[WINDOW / 2 - 1]);
        assertTrue(p.written().isEmpty(), "no update for less than half a window");
        p.sendData(0, 1, new byte[1]);
        List<Frame> out = p.written();
        assertEquals(1, out.size());
        assertEquals(YamuxType.WINDOW_UPDATE, out.get(0).type());
        assertEquals(WINDOW / 2, out.get(0).length());
    }

    @Test
    void receiveWindowGrowsWhileTheReaderKeepsUpAndStopsAtTheMaximum() {
        RawPeer p = peer(false);
        p.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
        p.send(YamuxType.PING, ACK, 0, p.written().get(0).length());
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.written();
        long granted = WINDOW;
        long largestDelta = 0;
        for (int i = 0; i < 200; i++) {
            int chunk = (int) Math.min(granted, 1024 * 1024);
            p.sendData(0, 1, new byte[chunk]);
            granted -= chunk;
            for (Frame f : p.written()) {
                granted += f.length();
                largestDelta = Math.max(largestDelta, f.length());
            }
            p.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertTrue(largestDelta > WINDOW, "window grew: " + largestDelta);
        assertTrue(granted <= 16 * 1024 * 1024, "never above 16 MiB: " + granted);
        assertTrue(p.channel.isActive());
    }

    @Test
    void keepAliveSendsPingsAndClosesWhenOneGoesUnanswered() {
        RawPeer p = peer(true);
        Frame first = p.written().get(0);
        p.send(YamuxType.PING, ACK, 0, first.length());
        p.channel.advanceTimeBy(30, TimeUnit.SECONDS);
        List<Frame> out = p.written();
        assertEquals(1, out.size());
        assertEquals(YamuxType.PING, out.get(0).type());
        assertTrue(out.get(0).length() != first.length(), "each ping has its own opaque value");

        p.clock.addAndGet(TimeUnit.SECONDS.toNanos(31));
        p.channel.advanceTimeBy(30, TimeUnit.SECONDS);
        assertGoAway(GoAwayCode.INTERNAL_ERROR, p.written());
        assertFalse(p.channel.isActive());
    }

    @Test
    void refusesInboundStreamsAboveTheLimitWithRst() {
        peer = new RawPeer(false, YamuxConfig.defaults().withMaxInboundStreams(1));
        RawPeer p = peer;
        p.written();
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.send(YamuxType.WINDOW_UPDATE, SYN, 3, 0);
        List<Frame> out = p.written();
        assertEquals(new Frame(YamuxType.WINDOW_UPDATE, RST, 3, 0, new byte[0]).toString(), out.get(1).toString());
        assertEquals(1, p.accepted.size());
        assertTrue(p.channel.isActive());
    }

    @Test
    void goAwayWithAnErrorCodeClosesTheConnection() {
        RawPeer p = peer(false);
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.send(YamuxType.GO_AWAY, 0, 0, GoAwayCode.INTERNAL_ERROR.code());
        assertFalse(p.channel.isActive());
        assertTrue(p.accepted.get(0).wasReset());
    }

    @Test
    void aLocallyClosedStreamIsResetWhenTheRemoteNeverFinishes() {
        RawPeer p = peer(false);
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        p.written();
        p.accepted.get(0).stream().close();
        assertEquals(FIN, p.written().get(0).flags());
        assertEquals(1, p.session.streamCount());
        p.sendData(0, 1, new byte[10]);
        p.channel.advanceTimeBy(5, TimeUnit.MINUTES);
        List<Frame> out = p.writtenExceptPings();
        assertEquals(RST, out.get(out.size() - 1).flags());
        assertEquals(0, p.session.streamCount());
    }

    @Test
    void remoteResetEndsTheStreamAndFailsLaterWrites() {
        RawPeer p = peer(false);
        p.send(YamuxType.WINDOW_UPDATE, SYN, 1, 0);
        StreamProbe probe = p.accepted.get(0);
        p.send(YamuxType.WINDOW_UPDATE, RST, 1, 0);
        assertTrue(probe.wasReset());
        assertFalse(probe.stream().isOpen());
        assertFalse(probe.stream().writeAndFlush(p.alloc.buffer().writeByte(1)).isSuccess());
        assertEquals(0, p.session.streamCount());
    }
}
