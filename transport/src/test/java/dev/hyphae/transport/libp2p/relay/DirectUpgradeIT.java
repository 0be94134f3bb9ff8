package dev.hyphae.transport.libp2p.relay;

import static dev.hyphae.transport.libp2p.relay.RelayIT.await;
import static dev.hyphae.transport.libp2p.relay.RelayIT.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * DCUtR between Java hosts on loopback, where every address is directly dialable: the exchange
 * of addresses and SYNC over the relayed connection, then the direct dials. No NAT is involved.
 */
class DirectUpgradeIT {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    private Libp2pHost host(HostConfig config) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random),
            config.withLimits(new ConnectionLimits(200, 4, 10, 1.0)), random, Clock.systemUTC());
        hosts.add(host);
        host.start();
        return host;
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    @Test
    void relayedConnectionIsUpgradedToADirectOne() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelayService(RelayLimits.defaults()));
        Libp2pHost b = host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelays(List.of(relay.addresses().get(0))));
        eventually(() -> b.addresses().stream().anyMatch(RelayProtocol::isCircuit), "circuit address");
        Libp2pHost a = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Multiaddr circuit = b.addresses().stream().filter(RelayProtocol::isCircuit).findFirst().orElseThrow();
        await(a.dial(circuit));
        eventually(() -> b.connection(a.peerId()).isPresent(), "b has the relayed connection");
        Connection relayed = b.connection(a.peerId()).get();
        assertTrue(RelayProtocol.isCircuit(relayed.remoteAddress()));

        Connection direct = await(b.upgradeToDirect(relayed));

        assertEquals(a.peerId(), direct.remotePeer());
        assertFalse(RelayProtocol.isCircuit(direct.remoteAddress()), direct.remoteAddress().toString());
        assertTrue(await(b.ping(direct)).compareTo(Duration.ZERO) > 0);
    }

    @Test
    void upgradeOfADirectConnectionIsRefused() throws Exception {
        Libp2pHost a = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Libp2pHost b = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        Connection direct = await(a.dial(b.addresses().get(0)));

        ExecutionException e = assertThrows(ExecutionException.class, () -> await(a.upgradeToDirect(direct)));

        assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
    }
}
