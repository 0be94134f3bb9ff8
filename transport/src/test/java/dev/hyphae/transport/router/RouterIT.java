package dev.hyphae.transport.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterIT {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    private Libp2pHost host(List<Multiaddr> bootstrap) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random),
            HostConfig.defaults(List.of(LOOPBACK), bootstrap), random, Clock.systemUTC());
        hosts.add(host);
        host.start();
        return host;
    }

    private static String serverName(Libp2pHost host) {
        return OnionAddress.of(host.peerId()).serverName();
    }

    @Test
    void serverNameIsReachedThroughTheDhtOfABootstrapNode() throws Exception {
        Libp2pHost b = host(List.of());
        Libp2pHost c = host(List.of(b.addresses().get(0)));
        c.bootstrapped().get(20, TimeUnit.SECONDS);
        // A only meets B (bootstrapping would also look A up and so meet C through the DHT early).
        Libp2pHost a = host(List.of());
        a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 200 && a.dht().routingTable().find(b.peerId()).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertTrue(a.dht().routingTable().find(b.peerId()).isPresent(), "B is in A's routing table");
        assertTrue(a.connection(c.peerId()).isEmpty(), "A has not met C");
        assertTrue(a.peerStore().get(c.peerId()).isEmpty(), "A was never told C's address");
        Router router = Router.forHost(a, List.of(), Duration.ofSeconds(20));

        Connection toC = router.connect(serverName(c)).get(30, TimeUnit.SECONDS);

        assertEquals(c.peerId(), toC.remotePeer());
    }

    @Test
    void liveConnectionIsReusedWithoutDialling() throws Exception {
        Libp2pHost a = host(List.of());
        Libp2pHost b = host(List.of());
        Connection dialled = a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        Router router = Router.forHost(a, List.of(), Duration.ofSeconds(5));

        Connection routed = router.connect(serverName(b)).get(10, TimeUnit.SECONDS);

        assertEquals(dialled.channel(), routed.channel());
        assertEquals(1, a.connectionCount());
    }

    @Test
    void unknownServerNameFailsAsUnreachableWithinTheTimeout() throws Exception {
        Libp2pHost a = host(List.of());
        Router router = Router.forHost(a, List.of(), Duration.ofSeconds(3));
        String nobody = OnionAddress.of(PrivateKey.generate(random).publicKey()).serverName();

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> router.connect(nobody).get(10, TimeUnit.SECONDS));

        UnreachableException unreachable = assertInstanceOf(UnreachableException.class, e.getCause());
        assertEquals(nobody, unreachable.serverName());
        assertTrue(unreachable.getMessage().contains("dht"), unreachable.getMessage());
    }

    @Test
    void routesAddedAfterTheHostsOwnAreTriedInOrder() throws Exception {
        Libp2pHost a = host(List.of());
        Libp2pHost b = host(List.of());
        List<String> tried = new ArrayList<>();
        Route failing = new Route() {
            @Override
            public String name() {
                return "first extra";
            }

            @Override
            public CompletableFuture<Connection> connect(OnionAddress destination) {
                tried.add(name());
                return CompletableFuture.failedFuture(new IllegalStateException("no relay"));
            }
        };
        Route relay = new Route() {
            @Override
            public String name() {
                return "second extra";
            }

            @Override
            public CompletableFuture<Connection> connect(OnionAddress destination) {
                tried.add(name());
                return a.dial(b.addresses().get(0));
            }
        };
        Router router = new Router(a, List.of(Libp2pRoutes.liveConnection(a), failing, relay), Duration.ofSeconds(5));

        Connection routed = router.connect(serverName(b)).get(10, TimeUnit.SECONDS);

        assertEquals(b.peerId(), routed.remotePeer());
        assertEquals(List.of("first extra", "second extra"), tried);
    }

    @Test
    void serverNamesThatAreNotOnionAddressesAreRefused() throws Exception {
        Libp2pHost a = host(List.of());
        Router router = Router.forHost(a, List.of(), Duration.ofSeconds(3));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> router.connect("matrix.org").get(5, TimeUnit.SECONDS));

        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("matrix.org"), e.getCause().getMessage());
    }

    @Test
    void subscribersHearOfPeersThatConnectInEitherDirection() throws Exception {
        Libp2pHost a = host(List.of());
        Libp2pHost b = host(List.of());
        Libp2pHost c = host(List.of());
        Router router = Router.forHost(a, List.of(), Duration.ofSeconds(5));
        List<OnionAddress> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        Runnable unsubscribe = router.onConnected(heard::add);

        a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        c.dial(a.addresses().get(0)).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && heard.size() < 2; i++) {
            Thread.sleep(50);
        }
        unsubscribe.run();

        assertTrue(heard.contains(OnionAddress.of(b.peerId())), heard.toString());
        assertTrue(heard.contains(OnionAddress.of(c.peerId())), heard.toString());
        assertFalse(heard.contains(OnionAddress.of(a.peerId())));
    }
}
