package dev.hyphae.transport.libp2p.relay;

import static dev.hyphae.transport.libp2p.relay.RelayIT.await;
import static dev.hyphae.transport.libp2p.relay.RelayIT.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.JsLibp2pPeer;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Circuit relay v2 between Java hosts and js-libp2p 3.3 peers with @libp2p/circuit-relay-v2, on loopback (DCUtR with js: {@code DcutrJsInteropIT}). */
class RelayJsInteropIT {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final JsRelayPeers peers = new JsRelayPeers();

    @BeforeAll
    static void needsNode() {
        assumeTrue(JsLibp2pPeer.nodeAvailable(), "node is not installed");
    }

    @AfterEach
    void stop() throws Exception {
        peers.close();
    }

    private JsLibp2pPeer js(String... args) throws Exception {
        return peers.js(args);
    }

    private Libp2pHost host(HostConfig config) throws Exception {
        return peers.host(config);
    }

    private static String reserveOn(JsLibp2pPeer peer, String relay) throws Exception {
        peer.send("RESERVE " + relay);
        String line = peer.expectAny("RESERVED ", "RESERVE-ERR ");
        assertTrue(line.startsWith("RESERVED "), line);
        return line.substring("RESERVED ".length());
    }

    @Test
    void javaClientReachesAJsPeerThroughAJsRelay() throws Exception {
        JsLibp2pPeer relay = js("relay");
        JsLibp2pPeer target = js("peer");
        String circuit = reserveOn(target, relay.listenAddress());
        Libp2pHost java = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));

        Connection relayed = await(java.dial(Multiaddr.parse(circuit)));

        assertEquals(JsRelayPeers.peerOf(target),
            relayed.remotePeer());
        assertTrue(await(java.ping(relayed)).compareTo(Duration.ZERO) > 0);
        byte[] hello = "hello js, via a js relay".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, await(Echo.roundTrip(relayed, hello)));
    }

    @Test
    void javaPeerReservesOnAJsRelayWithACheckedVoucherAndAJsPeerReachesIt() throws Exception {
        JsLibp2pPeer relay = js("relay");
        Libp2pHost java = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));

        Reservation reservation = await(java.reserve(Multiaddr.parse(relay.listenAddress())));

        assertTrue(reservation.voucher().isPresent(), "js sends a voucher");
        assertEquals(java.peerId(), reservation.voucher().get().peer());
        assertEquals(reservation.relay(), reservation.voucher().get().relay());
        Multiaddr circuit = java.addresses().stream().filter(RelayProtocol::isCircuit).findFirst().orElseThrow();
        JsLibp2pPeer client = js("peer");
        client.send("PING " + circuit);
        String ping = client.expectAny("PING-OK", "PING-ERR");
        assertTrue(ping.startsWith("PING-OK"), ping);
        client.send("ECHO " + circuit + " hello java via js");
        assertEquals("ECHO-OK hello java via js", client.expectAny("ECHO-OK", "ECHO-ERR"));
    }

    @Test
    void jsPeerReachesAJavaPeerThroughAJavaRelay() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of())
            .withRelayService(RelayLimits.defaults()));
        // Without DCUtR: this test is about the circuit, which a direct upgrade on loopback would replace.
        Libp2pHost target = host(HostConfig.defaults(List.of(LOOPBACK), List.of())
            .withRelays(List.of(relay.addresses().get(0))).withHolePunching(false));
        eventually(() -> target.addresses().stream().anyMatch(RelayProtocol::isCircuit), "circuit address");
        Multiaddr circuit = target.addresses().stream().filter(RelayProtocol::isCircuit).findFirst().orElseThrow();
        JsLibp2pPeer client = js("peer");

        client.send("PING " + circuit);
        String ping = client.expectAny("PING-OK", "PING-ERR");
        assertTrue(ping.startsWith("PING-OK"), ping);
        client.send("ECHO " + circuit + " hello java via a java relay");
        assertEquals("ECHO-OK hello java via a java relay", client.expectAny("ECHO-OK", "ECHO-ERR"));
        assertEquals(1, relay.relayService().orElseThrow().circuitCount(target.peerId()));
    }

    @Test
    void javaClientReachesAJsPeerThroughAJavaRelay() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of())
            .withRelayService(RelayLimits.defaults()));
        JsLibp2pPeer target = js("peer");
        String circuit = reserveOn(target, relay.addresses().get(0).toString());
        Libp2pHost java = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));

        Connection relayed = await(java.dial(Multiaddr.parse(circuit)));

        assertTrue(await(java.ping(relayed)).compareTo(Duration.ZERO) > 0);
        byte[] hello = "hello js via a java relay".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, await(Echo.roundTrip(relayed, hello)));
    }

    @Test
    void jsRelayAtItsReservationLimitRefusesJavaWithReservationRefused() throws Exception {
        JsLibp2pPeer relay = js("relay", "1");
        JsLibp2pPeer first = js("peer");
        reserveOn(first, relay.listenAddress());
        Libp2pHost java = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));

        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> await(java.reserve(Multiaddr.parse(relay.listenAddress()))));

        RelayException cause = assertInstanceOf(RelayException.class, refused.getCause());
        assertEquals(Status.RESERVATION_REFUSED, cause.status());
    }

    @Test
    void javaRelayAtItsReservationLimitRefusesJs() throws Exception {
        Libp2pHost relay = host(HostConfig.defaults(List.of(LOOPBACK), List.of())
            .withRelayService(new RelayLimits(1, 8, 16, Duration.ofHours(1), RelayLimits.defaults().circuit())));
        Libp2pHost holder = host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
        await(holder.reserve(relay.addresses().get(0)));
        JsLibp2pPeer js = js("peer");

        js.send("RESERVE " + relay.addresses().get(0));
        String line = js.expectAny(60, "RESERVED ", "RESERVE-ERR ");

        assertTrue(line.startsWith("RESERVE-ERR"), line);
        assertEquals(1, relay.relayService().orElseThrow().reservationCount());
    }
}
