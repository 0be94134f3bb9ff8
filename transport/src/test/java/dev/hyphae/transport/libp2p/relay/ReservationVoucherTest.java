package dev.hyphae.transport.libp2p.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.peer.Envelope;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ReservationVoucherTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final PrivateKey relayKey = PrivateKey.generate(RANDOM);
    private final PeerId peer = PrivateKey.generate(RANDOM).peerId();

    @Test
    void sealedVoucherOpensToTheSameFields() throws Exception {
        ReservationVoucher voucher = new ReservationVoucher(relayKey.peerId(), peer, 1_800_000_000L);

        assertEquals(voucher, ReservationVoucher.open(voucher.seal(relayKey)));
    }

    @Test
    void payloadIsCanonicalWithFieldsInIdOrder() {
        ReservationVoucher voucher = new ReservationVoucher(relayKey.peerId(), peer, 300);
        byte[] relay = relayKey.peerId().toBytes();
        byte[] p = peer.toBytes();

        String expected = "0a" + String.format("%02x", relay.length) + HexFormat.of().formatHex(relay)
            + "12" + String.format("%02x", p.length) + HexFormat.of().formatHex(p) + "18ac02";
        assertEquals(expected, HexFormat.of().formatHex(voucher.toPayload()));
    }

    @Test
    void voucherSignedByAnotherKeyThanItsRelayIsRejected() {
        PrivateKey other = PrivateKey.generate(RANDOM);
        byte[] forged = Envelope.seal(other, ReservationVoucher.DOMAIN, new byte[] {0x03, 0x02},
            new ReservationVoucher(relayKey.peerId(), peer, 5).toPayload()).toBytes();

        RelayException e = assertThrows(RelayException.class, () -> ReservationVoucher.open(forged));
        assertTrue(e.getMessage().contains("not signed by the relay"), e.getMessage());
    }

    @Test
    void voucherOfAnotherDomainOrPayloadTypeIsRejected() {
        byte[] payload = new ReservationVoucher(relayKey.peerId(), peer, 5).toPayload();
        byte[] wrongDomain = Envelope.seal(relayKey, "libp2p-peer-record", new byte[] {0x03, 0x02}, payload).toBytes();
        byte[] wrongType = Envelope.seal(relayKey, ReservationVoucher.DOMAIN, new byte[] {0x03, 0x01}, payload).toBytes();

        assertThrows(RelayException.class, () -> ReservationVoucher.open(wrongDomain));
        assertThrows(RelayException.class, () -> ReservationVoucher.open(wrongType));
    }

    @Test
    void voucherWithoutItsFieldsIsRejected() {
        byte[] empty = Envelope.seal(relayKey, ReservationVoucher.DOMAIN, new byte[] {0x03, 0x02}, new byte[0]).toBytes();

        assertThrows(RelayException.class, () -> ReservationVoucher.open(empty));
        assertThrows(RelayException.class, () -> ReservationVoucher.open(new byte[] {1, 2, 3}));
    }

    @Test
    void onlyTheRelaysKeySeals() {
        ReservationVoucher voucher = new ReservationVoucher(relayKey.peerId(), peer, 5);

        assertThrows(IllegalArgumentException.class, () -> voucher.seal(PrivateKey.generate(RANDOM)));
    }
}
