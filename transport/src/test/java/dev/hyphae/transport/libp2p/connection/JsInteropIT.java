package dev.hyphae.transport.libp2p.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.ping.PingResponder;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import io.netty.channel.nio.NioEventLoopGroup;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wire compatibility with js-libp2p 3.3 from npm over loopback TCP: multistream-select, Noise
 * with early muxer negotiation, yamux, and {@code /ipfs/ping/1.0.0} in both directions.
 */
class JsInteropIT {

    private static final String PING = "/ipfs/ping/1.0.0";
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

    private TcpTransport node(PrivateKey key) {
        return node(key, (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "ping", new PingResponder()));
    }

    private TcpTransport node(PrivateKey key, ProtocolSelected pingResponder) {
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()),
            StreamProtocols.none().with(PING, pingResponder), random, TIMEOUT);
        return new TcpTransport(group, upgrader, inbound::add, TIMEOUT);
    }

    @Test
    void javaDialsJsAndPingsOverNoiseAndYamux() throws Exception {
        Multiaddr jsAddress = Multiaddr.parse(js.listenAddress());
        PrivateKey key = PrivateKey.generate(random);
        Connection connection = node(key).dial(jsAddress).get(10, TimeUnit.SECONDS);
        assertEquals(PeerId.parse(jsAddress.valueOf(Protocol.P2P).orElseThrow()), connection.remotePeer());
        assertEquals("CONNECTED " + key.peerId(), js.expect("CONNECTED " + key.peerId()));

        byte[] ping = new byte[32];
        random.nextBytes(ping);
        assertArrayEquals(ping, TcpTransportIT.echo(connection, PING, ping));
        connection.close().sync();
    }

    @Test
    void connectionStaysUsableAfterJsConnectionMonitorPingsIt() throws Exception {
        // js opens /ipfs/ping/1.0.0 on every connection every 10 s and drops the connection if it fails
        CountDownLatch pingedByJs = new CountDownLatch(1);
        ProtocolSelected countingResponder = (ctx, protocol) -> {
            pingedByJs.countDown();
            ctx.pipeline().addAfter(ctx.name(), "ping", new PingResponder());
        };
        Connection connection = node(PrivateKey.generate(random), countingResponder)
            .dial(Multiaddr.parse(js.listenAddress())).get(10, TimeUnit.SECONDS);
        assertTrue(pingedByJs.await(30, TimeUnit.SECONDS), "js never pinged the connection");
        byte[] ping = new byte[32];
        random.nextBytes(ping);
        assertArrayEquals(ping, TcpTransportIT.echo(connection, PING, ping));
        assertTrue(connection.channel().isActive());
        connection.close().sync();
    }

    @Test
    void bulkDataCrossesManyNoiseMessagesAndYamuxWindowsToJs() throws Exception {
        // js's ping handler echoes every 32-byte block until the stream ends, so it doubles as an
        // echo service; 320 000 bytes exceed one Noise message and the initial 256 KiB window
        Connection connection = node(PrivateKey.generate(random)).dial(Multiaddr.parse(js.listenAddress()))
            .get(10, TimeUnit.SECONDS);
        byte[] bulk = new byte[32 * 10_000];
        random.nextBytes(bulk);
        assertArrayEquals(bulk, TcpTransportIT.echo(connection, PING, bulk));
        connection.close().sync();
    }

    @Test
    void jsDialsJavaAndPingsOverNoiseAndYamux() throws Exception {
        PrivateKey key = PrivateKey.generate(random);
        TcpTransport.Listener listener = node(key).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get();
        Multiaddr target = listener.address().encapsulate(Multiaddr.parse("/p2p/" + key.peerId()));

        js.send("PING " + target);
        String answer = js.expectAny("PING-OK", "PING-ERR");
        assertTrue(answer.startsWith("PING-OK"), answer);
        Connection accepted = inbound.poll(10, TimeUnit.SECONDS);
        assertEquals(PeerId.parse(Multiaddr.parse(js.listenAddress()).valueOf(Protocol.P2P).orElseThrow()),
            accepted.remotePeer());
        accepted.close().sync();
        listener.close().sync();
    }
}
