package dev.hyphae.transport.libp2p.relay;

import static dev.hyphae.transport.libp2p.relay.RelayIT.await;
import static dev.hyphae.transport.libp2p.relay.RelayIT.eventually;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.ConnectionLimits;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Relayed connections are limited (circuit v2): what runs on them, and that direct ones are preferred. */
class LimitedConnectionIT {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final String HEAVY = "/hyphae/test/heavy/1.0.0";
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    private Libp2pHost host(HostConfig config) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random),
            config.withLimits(new ConnectionLimits(200, 4, 10, 1.0)).withHolePunching(false), random,
            Clock.systemUTC());
        hosts.add(host);
        host.registerProtocol(Echo.ID, Echo.server());
        host.registerProtocol(HEAVY, Echo.server(), false);
        host.start();
        return host;
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    /** a, and b reachable through a relay, with a's relayed connection to b. */
    private record Pair(Libp2pHost a, Libp2pHost b, Connection relayed) {
    }

    private Pair relayedPair() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelayService(RelayLimits.defaults()));
        Libp2pHost b = host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelays(List.of(relay.addresses().get(0))));
        eventually(() -> b.addresses().stream().anyMatch(RelayProtocol::isCircuit), "circuit address");
        Libp2pHost a = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Multiaddr circuit = b.addresses().stream().filter(RelayProtocol::isCircuit).findFirst().orElseThrow();
        Connection relayed = await(a.dial(circuit));
        assertTrue(relayed.isLimited(), relayed.toString());
        return new Pair(a, b, relayed);
    }

    @Test
    void theDhtIsRefusedOnARelayedConnectionWhilePingRuns() throws Exception {
        Pair p = relayedPair();

        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> await(p.relayed().openStream(p.b().dht().protocolId(), (ctx, id) -> { })));

        assertTrue(refused.getCause().getMessage().contains(p.b().dht().protocolId()), refused.getCause().toString());
        assertTrue(await(p.a().ping(p.relayed())).compareTo(Duration.ZERO) > 0);
    }

    @Test
    void aProtocolNotAllowedOnLimitedConnectionsIsRefusedRelayedAndServedDirect() throws Exception {
        Pair p = relayedPair();
        assertThrows(ExecutionException.class, () -> await(p.relayed().openStream(HEAVY, (ctx, id) -> { })));

        Connection direct = await(p.a().dial(p.b().addresses().get(0)));

        assertFalse(direct.isLimited());
        assertTrue(await(direct.openStream(HEAVY, (ctx, id) -> { })).isActive());
    }

    @Test
    void connectionToAPeerPrefersTheDirectConnectionOverTheRelayedOne() throws Exception {
        Pair p = relayedPair();
        assertSame(p.relayed(), p.a().connection(p.b().peerId()).orElseThrow());

        Connection direct = await(p.a().dial(p.b().addresses().get(0)));

        assertFalse(direct.isLimited());
        assertTrue(p.relayed().channel().isActive(), "the relayed connection stays until it goes away");
        eventually(() -> p.a().connection(p.b().peerId()).filter(c -> !c.isLimited()).isPresent(), "direct preferred");
    }
}
