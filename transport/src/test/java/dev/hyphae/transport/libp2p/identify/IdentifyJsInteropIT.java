package dev.hyphae.transport.libp2p.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.ConnectionUpgrader;
import dev.hyphae.transport.libp2p.connection.JsLibp2pPeer;
import dev.hyphae.transport.libp2p.connection.StreamProtocols;
import dev.hyphae.transport.libp2p.connection.TcpTransport;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.mux.StreamResetEvent;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.ping.PingProtocol;
import dev.hyphae.transport.libp2p.ping.PingResponder;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identify against js-libp2p 3.3 from npm over loopback TCP, Noise and yamux, in both directions. */
class IdentifyJsInteropIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static JsLibp2pPeer js;
    private static NioEventLoopGroup group;
    private final SecureRandom random = new SecureRandom();
    private final LinkedBlockingQueue<Connection> inbound = new LinkedBlockingQueue<>();

    @BeforeAll
    static void startJsPeer() throws Exception {
        assumeTrue(JsLibp2pPeer.nodeAvailable(), "node is not installed");
        js = JsLibp2pPeer.start();
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (js != null) {
            js.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private TcpTransport node(PrivateKey key, StreamProtocols protocols) {
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()),
                protocols, random, TIMEOUT);
        return new TcpTransport(group, upgrader, inbound::add, TIMEOUT);
    }

    private static Multiaddr tcp(java.net.SocketAddress address) {
        InetSocketAddress inet = (InetSocketAddress) address;
        return Multiaddr.parse("/ip4/" + inet.getAddress().getHostAddress() + "/tcp/" + inet.getPort());
    }

    @Test
    void javaIdentifiesJsAndVerifiesItsSignedPeerRecord() throws Exception {
        Multiaddr jsAddress = Multiaddr.parse(js.listenAddress());
        Connection connection = node(PrivateKey.generate(random), StreamProtocols.none())
                .dial(jsAddress).get(10, TimeUnit.SECONDS);
        IdentifyReader reader = new IdentifyReader(connection.remotePeer(), false, Duration.ofSeconds(5));
        connection.openStream(IdentifyProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "identify", reader))
                .get(10, TimeUnit.SECONDS);
        IdentifyMessage m = reader.result().get(10, TimeUnit.SECONDS);

        assertEquals(connection.remotePeer(), m.publicKey().orElseThrow().toPeerId());
        assertEquals(Optional.of(IdentifyProtocol.PROTOCOL_VERSION), m.protocolVersion());
        assertTrue(m.agentVersion().orElseThrow().startsWith("js-libp2p/"), m.agentVersion().toString());
        assertTrue(m.protocols().containsAll(List.of(IdentifyProtocol.ID, PingProtocol.ID)),
                m.protocols().toString());
        PeerRecord record = m.signedPeerRecord().orElseThrow();
        assertEquals(connection.remotePeer(), record.peerId());
        assertTrue(record.addresses().contains(jsAddress.withoutPeerId()), record.addresses().toString());
        assertEquals(tcp(connection.channel().localAddress()), m.observedAddr().orElseThrow());
        connection.close().sync();
    }

    @Test
    void jsIdentifiesJavaAndEndsTheStreamWithoutAbortingIt() throws Exception {
        PrivateKey key = PrivateKey.generate(random);
        CompletableFuture<Boolean> identifyStreamReset = new CompletableFuture<>();
        StreamProtocols protocols = StreamProtocols.none()
                .with(PingProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "ping", new PingResponder()))
                .with(IdentifyProtocol.ID, (ctx, p) -> {
                    IdentifyMessage ours = IdentifyMessage.of(key.publicKey(), List.of(),
                            List.of(IdentifyProtocol.ID, PingProtocol.ID), Optional.of(tcp(ctx.channel().remoteAddress())),
                            "hyphae/test", Optional.of(new PeerRecord(key.peerId(), 1, List.of()).seal(key)));
                    ctx.pipeline().addAfter(ctx.name(), "identify", new IdentifyWriter(ours));
                    ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                            if (evt == StreamResetEvent.INSTANCE) {
                                identifyStreamReset.complete(true);
                            }
                        }
                    });
                    ctx.channel().closeFuture().addListener(f -> identifyStreamReset.complete(false));
                });
        TcpTransport.Listener listener = node(key, protocols).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get();
        Multiaddr target = listener.address().encapsulate(Multiaddr.parse("/p2p/" + key.peerId()));

        js.send("PING " + target);
        String answer = js.expectAny("PING-OK", "PING-ERR");
        assertTrue(answer.startsWith("PING-OK"), answer);
        assertFalse(identifyStreamReset.get(10, TimeUnit.SECONDS),
                "js accepted our identify and closed the stream instead of resetting it");
        Connection accepted = inbound.poll(10, TimeUnit.SECONDS);
        accepted.close().sync();
        listener.close().sync();
    }
}
