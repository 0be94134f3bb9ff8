package dev.hyphae.transport.libp2p.relay;

import static dev.hyphae.transport.libp2p.relay.RelayIT.await;
import static dev.hyphae.transport.libp2p.relay.RelayIT.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.charset.StandardCharsets;
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
 * of addresses and SYNC over the relayed connection, then the direct dials from the listen ports,
 * and the move of the peers' traffic to the direct connection. No NAT is involved (see
 * {@code NatHolePunchIT} for that).
 */
class DirectUpgradeIT {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    private Libp2pHost host(HostConfig config) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random),
            config.withLimits(new ConnectionLimits(200, 4, 10, 1.0)), random, Clock.systemUTC());
        hosts.add(host);
        host.registerProtocol(Echo.ID, Echo.server());
        host.start();
        return host;
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    private Libp2pHost relay() throws Exception {
        return host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelayService(RelayLimits.defaults()));
    }

    private Libp2pHost reservedOn(Libp2pHost relay, boolean holePunching) throws Exception {
        Libp2pHost b = host(HostConfig.defaults(List.of(LOOPBACK), List.of())
            .withRelays(List.of(relay.addresses().get(0))).withHolePunching(holePunching));
        eventually(() -> b.addresses().stream().anyMatch(RelayProtocol::isCircuit), "circuit address");
        return b;
    }

    private static Multiaddr circuitOf(Libp2pHost b) {
        return b.addresses().stream().filter(RelayProtocol::isCircuit).findFirst().orElseThrow();
    }

    @Test
    void anAcceptedRelayedConnectionBecomesDirectOnItsOwnAndTheRelayedOneGoesAway() throws Exception {
        Libp2pHost relay = relay();
        Libp2pHost b = reservedOn(relay, true);
        Libp2pHost a = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));

        Connection relayed = await(a.dial(circuitOf(b)));
        assertTrue(relayed.isLimited());

        eventually(() -> a.connection(b.peerId()).filter(c -> !c.isLimited()).isPresent(), "a has a direct connection");
        eventually(() -> b.connection(a.peerId()).filter(c -> !c.isLimited()).isPresent(), "b has a direct connection");
        Connection direct = a.connection(b.peerId()).orElseThrow();
        assertFalse(RelayProtocol.isCircuit(direct.remoteAddress()), direct.remoteAddress().toString());
        byte[] hello = "new streams go direct".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, await(Echo.roundTrip(a.connection(b.peerId()).orElseThrow(), hello)));
        eventually(() -> !relayed.channel().isActive(), "the relayed connection closed");
        eventually(() -> relay.relayService().orElseThrow().circuitCount(b.peerId()) == 0, "the relay ended the circuit");
    }

    @Test
    void withHolePunchingOffTheRelayedConnectionStaysUntilUpgradeToDirectIsAsked() throws Exception {
        Libp2pHost relay = relay();
        Libp2pHost b = reservedOn(relay, false);
        Libp2pHost a = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        await(a.dial(circuitOf(b)));
        eventually(() -> b.connection(a.peerId()).isPresent(), "b has the relayed connection");
        Thread.sleep(500);
        Connection relayed = b.connection(a.peerId()).get();
        assertTrue(relayed.isLimited(), "b upgraded on its own: " + relayed);

        Connection direct = await(b.upgradeToDirect(relayed));

        assertEquals(a.peerId(), direct.remotePeer());
        assertFalse(direct.isLimited(), direct.toString());
        assertTrue(await(b.ping(direct)).compareTo(Duration.ZERO) > 0);
        assertEquals(direct.remotePeer(), b.connection(a.peerId()).orElseThrow().remotePeer());
        assertFalse(b.connection(a.peerId()).orElseThrow().isLimited(), "connection() prefers the direct one");
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
