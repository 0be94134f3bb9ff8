package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hosts of one process on one borrowed event loop group. */
class HostResourcesIT {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final EventLoopGroup shared = new NioEventLoopGroup(1);
    private final List<Libp2pHost> hosts = new ArrayList<>();

    @AfterEach
    void close() {
        hosts.forEach(Libp2pHost::close);
        shared.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private Libp2pHost host() throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), HostConfig.defaults(List.of(LOOPBACK), List.of()),
                random, Clock.systemUTC(), PeerPersistence.none(), HostResources.shared(shared, YamuxConfig.defaults()));
        hosts.add(host);
        host.start();
        return host;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void hostsOnASharedGroupTalkAndClosingOneLeavesTheGroupToTheOthers() throws Exception {
        Libp2pHost a = host();
        Libp2pHost b = host();
        Libp2pHost c = host();

        Duration rtt = await(a.ping(await(a.dial(b.addresses().get(0)))));
        assertFalse(rtt.isNegative());
        a.close();

        assertFalse(shared.isShuttingDown(), "closing a host shut the shared group down");
        assertFalse(await(b.ping(await(b.dial(c.addresses().get(0))))).isNegative());
        assertTrue(b.connection(c.peerId()).isPresent());
    }
}
