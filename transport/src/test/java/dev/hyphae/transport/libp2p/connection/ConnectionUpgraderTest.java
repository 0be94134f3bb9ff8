package dev.hyphae.transport.libp2p.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.EmbeddedPipe;
import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multistream.MultistreamDialer;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.noise.NoiseHandshakeHandler;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class ConnectionUpgraderTest {

    private static final Multiaddr ADDRESS = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    private final SecureRandom random = new SecureRandom();
    private final PrivateKey dialerKey = PrivateKey.generate(random);
    private final PrivateKey listenerKey = PrivateKey.generate(random);

    private ConnectionUpgrader upgrader(PrivateKey key) {
        return new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()),
            StreamProtocols.none().with(EchoProtocol.ID, EchoProtocol.server()), random, Duration.ofSeconds(10));
    }

    @Test
    void rawConnectionsBecomeAuthenticatedMuxedConnectionsThatCarryStreams() {
        EmbeddedChannel dialerRaw = new EmbeddedChannel();
        EmbeddedChannel listenerRaw = new EmbeddedChannel();
        CompletableFuture<Connection> dialed =
            upgrader(dialerKey).upgrade(dialerRaw, true, Optional.of(listenerKey.peerId()), ADDRESS);
        CompletableFuture<Connection> accepted =
            upgrader(listenerKey).upgrade(listenerRaw, false, Optional.empty(), ADDRESS);
        EmbeddedPipe.shuttle(dialerRaw, listenerRaw);

        assertTrue(dialed.isDone() && accepted.isDone());
        Connection d = dialed.getNow(null);
        Connection l = accepted.getNow(null);
        assertEquals(listenerKey.peerId(), d.remotePeer());
        assertEquals(dialerKey.peerId(), l.remotePeer());
        assertTrue(d.isInitiator());
        assertFalse(l.isInitiator());

        assertEchoes(d, dialerRaw, listenerRaw);
        assertEchoes(l, dialerRaw, listenerRaw); // the listener opens streams too
        dialerRaw.finishAndReleaseAll();
        listenerRaw.finishAndReleaseAll();
    }

    @Test
    void upgradeFailsWhenTheRemoteIsNotTheDialledPeer() {
        EmbeddedChannel dialerRaw = new EmbeddedChannel();
        EmbeddedChannel listenerRaw = new EmbeddedChannel();
        PeerId other = PrivateKey.generate(random).peerId();
        CompletableFuture<Connection> dialed = upgrader(dialerKey).upgrade(dialerRaw, true, Optional.of(other), ADDRESS);
        upgrader(listenerKey).upgrade(listenerRaw, false, Optional.empty(), ADDRESS);
        EmbeddedPipe.shuttle(dialerRaw, listenerRaw);
        assertTrue(dialed.isCompletedExceptionally());
        assertFalse(dialerRaw.isOpen());
        dialerRaw.finishAndReleaseAll();
        listenerRaw.finishAndReleaseAll();
    }

    @Test
    void muxerIsNegotiatedWithMultistreamWhenTheDialerAdvertisesNone() {
        // a dialer that, like older libp2p versions, sends no muxer list in the Noise handshake
        EmbeddedChannel dialerRaw = new EmbeddedChannel();
        EmbeddedChannel listenerRaw = new EmbeddedChannel();
        CompletableFuture<String> muxerChosen = new CompletableFuture<>();
        dialerRaw.pipeline().addLast(new MultistreamDialer(List.of(ConnectionUpgrader.NOISE), (ctx, p) ->
            ctx.pipeline().addAfter(ctx.name(), "noise", new NoiseHandshakeHandler(true, dialerKey, Optional.empty(),
                List.of(), (noiseCtx, session) -> noiseCtx.pipeline().addLast(new MultistreamDialer(
                    List.of(YamuxMuxer.PROTOCOL_ID), (muxCtx, muxer) -> muxerChosen.complete(muxer))), random))));
        CompletableFuture<Connection> accepted =
            upgrader(listenerKey).upgrade(listenerRaw, false, Optional.empty(), ADDRESS);
        EmbeddedPipe.shuttle(dialerRaw, listenerRaw);
        assertEquals(YamuxMuxer.PROTOCOL_ID, muxerChosen.getNow(null));
        assertEquals(dialerKey.peerId(), accepted.getNow(null).remotePeer());
        dialerRaw.finishAndReleaseAll();
        listenerRaw.finishAndReleaseAll();
    }

    @Test
    void upgradeThatStallsIsAbandonedAtTheDeadline() {
        EmbeddedChannel silentDialer = new EmbeddedChannel();
        CompletableFuture<Connection> accepted =
            upgrader(listenerKey).upgrade(silentDialer, false, Optional.empty(), ADDRESS);
        silentDialer.advanceTimeBy(11, java.util.concurrent.TimeUnit.SECONDS);
        silentDialer.runScheduledPendingTasks();
        assertTrue(accepted.isCompletedExceptionally());
        assertFalse(silentDialer.isOpen());
        silentDialer.finishAndReleaseAll();
    }

    @Test
    void streamForAProtocolTheRemoteDoesNotServeFails() {
        EmbeddedChannel dialerRaw = new EmbeddedChannel();
        EmbeddedChannel listenerRaw = new EmbeddedChannel();
        CompletableFuture<Connection> dialed = upgrader(dialerKey).upgrade(dialerRaw, true, Optional.empty(), ADDRESS);
        upgrader(listenerKey).upgrade(listenerRaw, false, Optional.empty(), ADDRESS);
        EmbeddedPipe.shuttle(dialerRaw, listenerRaw);
        CompletableFuture<MuxedStream> stream =
            dialed.getNow(null).openStream("/not/served/1.0.0", (ctx, p) -> { });
        EmbeddedPipe.shuttle(dialerRaw, listenerRaw);
        assertTrue(stream.isCompletedExceptionally());
        assertTrue(dialerRaw.isOpen(), "a refused stream leaves the connection up");
        dialerRaw.finishAndReleaseAll();
        listenerRaw.finishAndReleaseAll();
    }

    private static void assertEchoes(Connection opener, EmbeddedChannel a, EmbeddedChannel b) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<MuxedStream> stream = opener.openStream(EchoProtocol.ID, EchoProtocol.client(received));
        EmbeddedPipe.shuttle(a, b);
        assertTrue(stream.isDone(), "stream negotiated");
        MuxedStream s = stream.getNow(null);
        s.writeAndFlush(Unpooled.wrappedBuffer("hello over yamux".getBytes()));
        EmbeddedPipe.shuttle(a, b);
        assertArrayEquals("hello over yamux".getBytes(), received.toByteArray());
        s.close();
        EmbeddedPipe.shuttle(a, b);
    }
}
