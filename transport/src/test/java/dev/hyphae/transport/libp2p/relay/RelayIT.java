package dev.hyphae.transport.libp2p.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Java hosts on loopback: a relay, a peer holding a reservation on it, and peers dialling through it. */
class RelayIT {

    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    private Libp2pHost host(HostConfig config) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), config, random, Clock.systemUTC());
        hosts.add(host);
        host.registerProtocol(Echo.ID, Echo.server());
        host.start();
        return host;
    }

    private Libp2pHost relay(RelayLimits limits) throws Exception {
        return host(HostConfig.defaults(List.of(LOOPBACK), List.of()).withRelayService(limits));
    }

    /**
     * A host holding a reservation on the relay. It does not upgrade accepted relayed connections to direct ones
     * (DCUtR), which on loopback would always succeed and replace the circuit these tests look at.
     */
    private Libp2pHost reservingOn(Libp2pHost relay) throws Exception {
        return host(HostConfig.defaults(List.of(LOOPBACK), List.of())
            .withRelays(List.of(relay.addresses().get(0))).withHolePunching(false));
    }

    private Libp2pHost plain() throws Exception {
        return host(HostConfig.defaults(List.of(LOOPBACK), List.of()));
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    private static Multiaddr circuitAddr(Libp2pHost target) {
        return target.addresses().stream().filter(RelayProtocol::isCircuit).findFirst()
            .orElseThrow(() -> new AssertionError("no circuit address in " + target.addresses()));
    }

    @Test
    void peerWithAReservationIsReachedThroughTheRelayWithPingAndEcho() throws Exception {
        Libp2pHost relay = relay(RelayLimits.defaults());
        Libp2pHost target = reservingOn(relay);
        eventually(() -> !target.reservations().isEmpty(), "reservation held");
        Reservation reservation = target.reservations().get(0);
        assertEquals(relay.peerId(), reservation.relay());
        assertTrue(reservation.voucher().isPresent(), "voucher");
        assertEquals(target.peerId(), reservation.voucher().get().peer());
        Libp2pHost source = plain();

        Connection relayed = await(source.dial(circuitAddr(target)));

        assertEquals(target.peerId(), relayed.remotePeer());
        assertTrue(RelayProtocol.isCircuit(relayed.remoteAddress()), relayed.remoteAddress().toString());
        assertTrue(await(source.ping(relayed)).compareTo(Duration.ZERO) > 0);
        byte[] hello = "hello through the relay".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(hello, await(Echo.roundTrip(relayed, hello)));
        // The target sees the connection as inbound and relayed, and can open streams on it too.
        eventually(() -> target.connection(source.peerId()).isPresent(), "target tracks the relayed connection");
        Connection back = target.connection(source.peerId()).get();
        assertTrue(RelayProtocol.isCircuit(back.remoteAddress()), back.remoteAddress().toString());
        assertArrayEquals(hello, await(Echo.roundTrip(back, hello)));
        assertEquals(1, relay.relayService().orElseThrow().circuitCount(target.peerId()));
    }

    @Test
    void relayAtItsReservationLimitRefusesWithReservationRefused() throws Exception {
        Libp2pHost relay = relay(new RelayLimits(1, 8, 16, Duration.ofHours(1), RelayLimits.defaults().circuit()));
        Libp2pHost first = plain();
        Libp2pHost second = plain();
        await(first.reserve(relay.addresses().get(0)));

        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> await(second.reserve(relay.addresses().get(0))));

        RelayException cause = assertInstanceOf(RelayException.class, refused.getCause());
        assertEquals(Status.RESERVATION_REFUSED, cause.status());
        assertEquals(1, relay.relayService().orElseThrow().reservationCount());
    }

    @Test
    void relayRefusesReservationsBeyondThePerIpLimit() throws Exception {
        Libp2pHost relay = relay(new RelayLimits(10, 1, 16, Duration.ofHours(1), RelayLimits.defaults().circuit()));
        await(plain().reserve(relay.addresses().get(0)));

        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> await(plain().reserve(relay.addresses().get(0))));

        assertEquals(Status.RESERVATION_REFUSED, ((RelayException) refused.getCause()).status());
    }

    @Test
    void dialToAPeerWithoutReservationFailsWithNoReservation() throws Exception {
        Libp2pHost relay = relay(RelayLimits.defaults());
        Libp2pHost target = plain();
        Libp2pHost source = plain();
        Multiaddr circuit = relay.addresses().get(0).encapsulate(
            Multiaddr.parse("/p2p-circuit/p2p/" + target.peerId().toBase58()));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> await(source.dial(circuit)));

        RelayException cause = assertInstanceOf(RelayException.class, failed.getCause());
        assertEquals(Status.NO_RESERVATION, cause.status());
        // Only that hop stream ended: the connection to the relay still works.
        assertTrue(await(source.ping(source.connection(relay.peerId()).orElseThrow())).compareTo(Duration.ZERO) > 0);
    }

    @Test
    void relayWithoutTheServiceDoesNotSpeakHop() throws Exception {
        Libp2pHost notRelay = plain();
        Libp2pHost peer = plain();

        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> await(peer.reserve(notRelay.addresses().get(0))));

        assertInstanceOf(RelayException.class, failed.getCause());
    }

    @Test
    void circuitBeyondTheDataLimitIsResetAndItsSlotFreed() throws Exception {
        CircuitLimit small = new CircuitLimit(Duration.ofMinutes(2), 4096);
        Libp2pHost relay = relay(new RelayLimits(10, 10, 16, Duration.ofHours(1), small));
        Libp2pHost target = reservingOn(relay);
        eventually(() -> !target.reservations().isEmpty(), "reservation held");
        Libp2pHost source = plain();
        Connection relayed = await(source.dial(circuitAddr(target)));

        byte[] big = new byte[64 * 1024];
        assertThrows(ExecutionException.class, () -> await(Echo.roundTrip(relayed, big)));

        eventually(() -> !relayed.channel().isActive(), "relayed connection ended");
        eventually(() -> relay.relayService().orElseThrow().circuitCount(target.peerId()) == 0, "slot freed");
    }

    @Test
    void circuitsPerPeerAreLimitedWithResourceLimitExceeded() throws Exception {
        Libp2pHost relay = relay(new RelayLimits(10, 10, 1, Duration.ofHours(1), RelayLimits.defaults().circuit()));
        Libp2pHost target = reservingOn(relay);
        eventually(() -> !target.reservations().isEmpty(), "reservation held");
        await(plain().dial(circuitAddr(target)));

        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> await(plain().dial(circuitAddr(target))));

        assertEquals(Status.RESOURCE_LIMIT_EXCEEDED, ((RelayException) failed.getCause()).status());
    }

    @Test
    void reservationIsRenewedBeforeItExpires() throws Exception {
        Libp2pHost relay = relay(new RelayLimits(10, 10, 16, Duration.ofSeconds(3), RelayLimits.defaults().circuit()));
        Libp2pHost target = reservingOn(relay);
        eventually(() -> !target.reservations().isEmpty(), "reservation held");
        var firstExpiry = target.reservations().get(0).expire();

        eventually(() -> !target.reservations().isEmpty()
            && target.reservations().get(0).expire().isAfter(firstExpiry), "reservation renewed");

        Connection relayed = await(plain().dial(circuitAddr(target)));
        assertEquals(target.peerId(), relayed.remotePeer());
    }

    @Test
    void connectedPeersLearnTheCircuitAddressByIdentifyPushOnceAReservationIsHeld() throws Exception {
        Libp2pHost relay = relay(RelayLimits.defaults());
        Libp2pHost target = plain();
        Libp2pHost friend = plain();
        await(friend.dial(target.addresses().get(0)));
        eventually(() -> friend.peerStore().get(target.peerId()).isPresent(), "friend identified target");
        assertTrue(friend.peerStore().get(target.peerId()).get().addrs().stream().noneMatch(RelayProtocol::isCircuit));

        await(target.reserve(relay.addresses().get(0)));

        eventually(() -> friend.peerStore().get(target.peerId()).get().addrs().stream()
            .anyMatch(RelayProtocol::isCircuit), "friend learnt the circuit address");
        assertTrue(friend.peerStore().get(target.peerId()).get().protocols().contains(Echo.ID));
    }

    @Test
    void circuitIsResetWhenItsDurationLimitIsReached() throws Exception {
        CircuitLimit oneSecond = new CircuitLimit(Duration.ofSeconds(1), 0);
        Libp2pHost relay = relay(new RelayLimits(10, 10, 16, Duration.ofHours(1), oneSecond));
        Libp2pHost target = reservingOn(relay);
        eventually(() -> !target.reservations().isEmpty(), "reservation held");
        assertEquals(oneSecond, target.reservations().get(0).limit().orElseThrow());
        Libp2pHost source = plain();
        Connection relayed = await(source.dial(circuitAddr(target)));
        assertTrue(relayed.channel().isActive());

        eventually(() -> !relayed.channel().isActive(), "relayed connection ended after its second");
        eventually(() -> relay.relayService().orElseThrow().circuitCount(source.peerId()) == 0, "slot freed");
        // The direct connections to the relay outlive the circuit.
        assertTrue(source.connection(relay.peerId()).orElseThrow().channel().isActive());
    }
}
