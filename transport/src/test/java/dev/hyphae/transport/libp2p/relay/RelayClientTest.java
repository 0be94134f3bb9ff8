package dev.hyphae.transport.libp2p.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.HopMessage;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the client reads the relay's answer to RESERVE. */
class RelayClientTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final PrivateKey relayKey = PrivateKey.generate(RANDOM);
    private final PeerId relay = relayKey.peerId();
    private final PeerId self = PrivateKey.generate(RANDOM).peerId();

    private HopMessage ok(long expire, byte[] voucher, Multiaddr... addrs) {
        CircuitProto.Reservation.Builder r = CircuitProto.Reservation.newBuilder().setExpire(expire);
        if (voucher != null) {
            r.setVoucher(ByteString.copyFrom(voucher));
        }
        for (Multiaddr a : addrs) {
            r.addAddrs(ByteString.copyFrom(a.toBytes()));
        }
        return HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK).setReservation(r)
            .setLimit(new CircuitLimit(Duration.ofMinutes(2), 131072).toProto()).build();
    }

    @Test
    void acceptedReservationCarriesExpiryLimitVoucherAndTheRelaysAddresses() throws Exception {
        Multiaddr own = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001/p2p/" + relay.toBase58());
        Multiaddr bare = Multiaddr.parse("/ip4/192.0.2.1/tcp/4002");
        byte[] voucher = new ReservationVoucher(relay, self, 1_800_000_000L).seal(relayKey);

        Reservation r = RelayClient.reservation(relay, ok(1_800_000_000L, voucher, own, bare), self);

        assertEquals(Instant.ofEpochSecond(1_800_000_000L), r.expire());
        assertEquals(new CircuitLimit(Duration.ofMinutes(2), 131072), r.limit().orElseThrow());
        assertEquals(self, r.voucher().orElseThrow().peer());
        assertEquals(List.of(own, bare.encapsulate(Multiaddr.parse("/p2p/" + relay.toBase58()))), r.relayAddrs());
        assertEquals(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001/p2p/" + relay.toBase58() + "/p2p-circuit/p2p/"
            + self.toBase58()), r.circuitAddrs(self).get(0));
    }

    @Test
    void addressesOfAnotherPeerAreLeftOut() throws Exception {
        PeerId other = PrivateKey.generate(RANDOM).peerId();
        Multiaddr foreign = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001/p2p/" + other.toBase58());

        Reservation r = RelayClient.reservation(relay, ok(100, null, foreign), self);

        assertTrue(r.relayAddrs().isEmpty(), r.relayAddrs().toString());
        assertTrue(r.voucher().isEmpty());
    }

    @Test
    void refusalCarriesTheRelaysStatus() {
        HopMessage refused = HopMessage.newBuilder().setType(HopMessage.Type.STATUS)
            .setStatus(Status.RESERVATION_REFUSED).build();

        RelayException e = assertThrows(RelayException.class, () -> RelayClient.reservation(relay, refused, self));

        assertEquals(Status.RESERVATION_REFUSED, e.status());
    }

    @Test
    void voucherForAnotherPeerIsRejected() {
        PeerId other = PrivateKey.generate(RANDOM).peerId();
        byte[] voucher = new ReservationVoucher(relay, other, 100).seal(relayKey);

        assertThrows(RelayException.class, () -> RelayClient.reservation(relay, ok(100, voucher), self));
    }

    @Test
    void voucherFromAnotherRelayIsRejected() {
        PrivateKey otherRelay = PrivateKey.generate(RANDOM);
        byte[] voucher = new ReservationVoucher(otherRelay.peerId(), self, 100).seal(otherRelay);

        assertThrows(RelayException.class, () -> RelayClient.reservation(relay, ok(100, voucher), self));
    }

    @Test
    void voucherWhoseExpiryDiffersFromTheReservationsIsRejected() {
        byte[] voucher = new ReservationVoucher(relay, self, 200).seal(relayKey);

        assertThrows(RelayException.class, () -> RelayClient.reservation(relay, ok(100, voucher), self));
    }

    @Test
    void acceptanceWithoutAnExpiryIsRejected() {
        HopMessage noReservation = HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK).build();

        assertThrows(RelayException.class, () -> RelayClient.reservation(relay, noReservation, self));
    }
}
