package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.identify.IdentifyProtocol;
import dev.hyphae.transport.libp2p.mdns.MdnsConfig;
import dev.hyphae.transport.libp2p.kad.KadConfig;
import dev.hyphae.transport.libp2p.kad.KadPeer;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.ping.PingProtocol;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Libp2pHostIT {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    private Libp2pHost host(List<Multiaddr> bootstrap, ConnectionLimits limits) throws Exception {
        HostConfig config = HostConfig.defaults(List.of(LOOPBACK), bootstrap).withLimits(limits);
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), config, random, Clock.systemUTC());
        hosts.add(host);
        host.start();
        return host;
    }

    private Libp2pHost host(List<Multiaddr> bootstrap) throws Exception {
        return host(bootstrap, ConnectionLimits.defaults());
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void hostFindsAPeerByIdThroughItsBootstrapPeer() throws Exception {
        Libp2pHost b = host(List.of());
        Libp2pHost c = host(List.of(b.addresses().get(0)));
        await(c.bootstrapped());
        Libp2pHost a = host(List.of(b.addresses().get(0)));
        await(a.bootstrapped());

        Optional<KadPeer> found = await(a.findPeer(c.peerId()));

        assertTrue(found.isPresent(), "C not found");
        assertTrue(found.get().addrs().contains(c.addresses().get(0).withoutPeerId()), found.toString());
        Connection toC = await(a.dial(c.peerId()));
        assertEquals(c.peerId(), toC.remotePeer());
    }

    @Test
    void identifyResultsLandInThePeerStoreOfBothSides() throws Exception {
        Libp2pHost a = host(List.of());
        Libp2pHost b = host(List.of());

        Connection connection = await(a.dial(b.addresses().get(0)));
        IdentifyMessage message = await(a.identify(connection));

        assertEquals(Optional.of(b.addresses().get(0).withoutPeerId()), Optional.of(message.listenAddrs().get(0)));
        assertTrue(message.protocols().contains(PingProtocol.ID));
        assertTrue(message.protocols().contains(KadConfig.HYPHAE_PROTOCOL));
        assertTrue(message.signedPeerRecord().isPresent(), "no signed peer record");
        assertTrue(message.observedAddr().isPresent(), "no observed address");
        assertEquals(b.addresses().get(0).withoutPeerId(), a.peerStore().get(b.peerId()).orElseThrow().addrs().get(0));
        eventually(() -> b.peerStore().get(a.peerId()).isPresent(), "B never identified A");
        eventually(() -> b.dht().routingTable().find(a.peerId()).isPresent(), "A not in B's routing table");
    }

    @Test
    void pingMeasuresARoundTrip() throws Exception {
        Libp2pHost a = host(List.of());
        Libp2pHost b = host(List.of());

        Duration rtt = await(a.ping(await(a.dial(b.addresses().get(0)))));

        assertFalse(rtt.isNegative());
        assertTrue(a.connection(b.peerId()).isPresent());
    }

    @Test
    void connectionAboveTheTotalLimitIsRefused() throws Exception {
        Libp2pHost limited = host(List.of(), new ConnectionLimits(1, 1, 10, 1.0));
        Libp2pHost first = host(List.of());
        Libp2pHost second = host(List.of());

        await(first.ping(await(first.dial(limited.addresses().get(0)))));

        // Refused when accepted, before the handshake: the dial never gets an upgraded connection.
        assertThrows(ExecutionException.class, () -> await(second.dial(limited.addresses().get(0))));
        assertEquals(1, limited.connectionCount());
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> await(limited.dial(second.addresses().get(0))));
        assertTrue(e.getCause().getMessage().contains("connection limit"), e.getCause().getMessage());
    }

    @Test
    void inboundConnectionsFromOneIpAreRateLimited() throws Exception {
        Libp2pHost limited = host(List.of(), new ConnectionLimits(100, 100, 1, 0.001));
        Libp2pHost first = host(List.of());
        Libp2pHost second = host(List.of());

        await(first.ping(await(first.dial(limited.addresses().get(0)))));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> await(second.dial(limited.addresses().get(0))));
        assertFalse(second.connection(limited.peerId()).isPresent(), "second connection from 127.0.0.1 was upgraded");
        assertTrue(e.getCause() != null, "no reason given");
        assertEquals(1, limited.connectionCount());
    }

    @Test
    void identifyPushTellsConnectedPeersOfANewListenAddress() throws Exception {
        Libp2pHost a = host(List.of());
        Libp2pHost b = host(List.of());
        await(a.dial(b.addresses().get(0)));
        eventually(() -> b.peerStore().get(a.peerId()).map(i -> i.protocols().contains(IdentifyProtocol.PUSH_ID))
            .orElse(false), "B never learned that A accepts identify push");

        Multiaddr added = a.listen(LOOPBACK);

        assertTrue(a.addresses().contains(added));
        eventually(() -> b.peerStore().get(a.peerId()).orElseThrow().addrs().contains(added.withoutPeerId()),
            "B never heard of A's new address");
        assertEquals(a.addresses().stream().map(Multiaddr::withoutPeerId).toList(),
            b.peerStore().get(a.peerId()).orElseThrow().addrs());
    }

    @Test
    void peersKnownBeforeARestartAreDialledByIdAfterIt() throws Exception {
        MemoryPeerPersistence saved = new MemoryPeerPersistence();
        Libp2pHost b = host(List.of());
        PrivateKey aKey = PrivateKey.generate(random);
        try (Libp2pHost a = new Libp2pHost(aKey, HostConfig.defaults(List.of(LOOPBACK), List.of()), random,
                Clock.systemUTC(), saved)) {
            a.start();
            await(a.identify(await(a.dial(b.addresses().get(0)))));
        }
        assertTrue(saved.peers.containsKey(b.peerId()), "B was not saved");

        try (Libp2pHost restarted = new Libp2pHost(aKey, HostConfig.defaults(List.of(LOOPBACK), List.of()), random,
                Clock.systemUTC(), saved)) {
            restarted.start();
            assertTrue(restarted.peerStore().get(b.peerId()).isPresent(), "B forgotten across the restart");
            Connection again = await(restarted.dial(b.peerId()));
            assertEquals(b.peerId(), again.remotePeer());
        }
    }

    @Test
    void hostsOnLoopbackDiscoverEachOtherWithMdnsAndConnect() throws Exception {
        InetSocketAddress group;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            group = new InetSocketAddress("224.0.0.251", probe.getLocalPort());
        }
        List<Libp2pHost> pair = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MdnsConfig mdns = MdnsConfig.defaults(random).withGroup(group).withQueryInterval(Duration.ofMillis(500));
            HostConfig config = HostConfig.defaults(List.of(LOOPBACK), List.of()).withMdns(mdns);
            Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), config, random, Clock.systemUTC());
            hosts.add(host);
            host.start();
            pair.add(host);
        }
        Libp2pHost a = pair.get(0);
        Libp2pHost b = pair.get(1);

        eventually(() -> a.connection(b.peerId()).isPresent() && b.connection(a.peerId()).isPresent(),
            "the hosts never connected");
        assertTrue(a.peerStore().get(b.peerId()).orElseThrow().addrs().contains(b.addresses().get(0).withoutPeerId()));
    }

    @Test
    void closedHostRefusesDialsAndFreesItsPort() throws Exception {
        Libp2pHost a = host(List.of());
        Multiaddr address = a.addresses().get(0);
        a.close();

        Libp2pHost b = host(List.of());
        assertThrows(ExecutionException.class, () -> await(b.dial(address)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(a.dial(b.addresses().get(0))));
        assertTrue(e.getCause().getMessage().contains("host closed"), e.getCause().getMessage());
    }

    @Test
    void secondConnectionFromOnePeerIsRefusedAboveThePerPeerLimit() throws Exception {
        Libp2pHost limited = host(List.of(), new ConnectionLimits(10, 1, 10, 1.0));
        Libp2pHost dialer = host(List.of());

        await(dialer.ping(await(dialer.dial(limited.addresses().get(0)))));
        // Without /p2p/ the dialler cannot reuse its connection, so it opens a second one.
        Connection second = await(dialer.dial(limited.addresses().get(0).withoutPeerId()));

        assertTrue(second.channel().closeFuture().await(10, TimeUnit.SECONDS), "second connection stayed open");
        assertEquals(1, limited.connectionCount());
    }
}
