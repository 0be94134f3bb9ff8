package dev.hyphae.transport.libp2p.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dials that leave from the listen port (SO_REUSEPORT), over loopback. */
class TcpPortReuseIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final LinkedBlockingQueue<Connection> inbound = new LinkedBlockingQueue<>();

    @BeforeAll
    static void needsReusePort() {
        assumeTrue(PortReuse.SUPPORTED, "this JDK cannot set SO_REUSEPORT here");
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private record Node(PrivateKey key, TcpTransport transport, TcpTransport.Listener listener) {
        Multiaddr address() {
            return listener.address().encapsulate(Multiaddr.parse("/p2p/" + key.peerId()));
        }

        int port() {
            return ((InetSocketAddress) listener.serverChannel().localAddress()).getPort();
        }
    }

    private Node node(boolean reusePort) throws Exception {
        PrivateKey key = PrivateKey.generate(random);
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()),
            StreamProtocols.none().with(EchoProtocol.ID, EchoProtocol.server()), random, TIMEOUT);
        TcpTransport transport = new TcpTransport(group, upgrader, inbound::add, TIMEOUT, InboundGate.OPEN, reusePort);
        return new Node(key, transport, transport.listen(LOOPBACK).get(10, TimeUnit.SECONDS));
    }

    private static int localPort(Connection c) {
        return ((InetSocketAddress) c.channel().localAddress()).getPort();
    }

    @Test
    void theListenerObservesTheDialerAtItsListenPort() throws Exception {
        Node a = node(true);
        Node b = node(true);

        Connection out = a.transport().dial(b.address()).get(10, TimeUnit.SECONDS);

        Connection accepted = inbound.poll(10, TimeUnit.SECONDS);
        assertEquals(a.key().peerId(), accepted.remotePeer());
        assertEquals(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + a.port()), accepted.remoteAddress());
        assertEquals(a.port(), localPort(out));
        assertTrue(a.transport().reusesPort());
    }

    @Test
    void aSecondDialToTheSamePeerFallsBackToAnEphemeralPort() throws Exception {
        Node a = node(true);
        Node b = node(true);
        Connection first = a.transport().dial(b.address()).get(10, TimeUnit.SECONDS);

        Connection second = a.transport().dial(b.address()).get(10, TimeUnit.SECONDS);

        assertEquals(a.port(), localPort(first));
        assertNotEquals(a.port(), localPort(second));
        assertTrue(first.channel().isActive() && second.channel().isActive());
    }

    @Test
    void withoutPortReuseDialsLeaveFromEphemeralPorts() throws Exception {
        Node a = node(false);
        Node b = node(false);

        Connection out = a.transport().dial(b.address()).get(10, TimeUnit.SECONDS);

        assertNotEquals(a.port(), localPort(out));
        assertFalse(a.transport().reusesPort());
    }

    @Test
    void holePunchDialOfTheServerSideThatMeetsAListenerStartsAsInitiatorAfterTheWait() throws Exception {
        Node a = node(true);
        Node b = node(true);

        Connection direct = b.transport().dialHolePunch(a.address(), false, Duration.ofMillis(200))
            .get(10, TimeUnit.SECONDS);

        assertTrue(direct.isInitiator());
        assertEquals(a.key().peerId(), direct.remotePeer());
        assertEquals(b.port(), localPort(direct));
        Connection accepted = inbound.poll(10, TimeUnit.SECONDS);
        assertFalse(accepted.isInitiator());
    }

    @Test
    void holePunchDialDoesNotFallBackToAnEphemeralPort() throws Exception {
        Node a = node(true);
        Node b = node(true);
        a.transport().dial(b.address()).get(10, TimeUnit.SECONDS);

        // the four-tuple from a's listen port to b's is taken by the first connection
        var failed = a.transport().dialHolePunch(b.address(), true, Duration.ZERO);

        assertTrue(failed.handle((c, e) -> e != null).get(10, TimeUnit.SECONDS), "a second hole punch dial succeeded");
    }

    @Test
    void listeningOnAPortAnotherListenerHoldsFailsDespiteReusePort() throws Exception {
        Node a = node(true);
        PrivateKey key = PrivateKey.generate(random);
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()),
            StreamProtocols.none(), random, TIMEOUT);
        TcpTransport second = new TcpTransport(group, upgrader, inbound::add, TIMEOUT, InboundGate.OPEN, true);

        var taken = second.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + a.port()));

        assertTrue(taken.handle((l, e) -> e != null).get(10, TimeUnit.SECONDS), "a second listener shares the port");
    }
}
