package dev.hyphae.transport.libp2p.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerRecordTest {

    private final PrivateKey key = PeerIdTest.seedOne();
    private final PeerRecord record = new PeerRecord(key.peerId(), 7,
        List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4001")));

    @Test
    void sealedRecordOpensToTheSameRecord() {
        byte[] bytes = record.seal(key).toBytes();
        assertEquals(record, PeerRecord.open(bytes));
    }

    @Test
    void envelopeCarriesPeerRecordPayloadTypeBytes() {
        Envelope envelope = Envelope.open(record.seal(key).toBytes(), PeerRecord.DOMAIN);
        assertArrayEquals(new byte[] {0x03, 0x01}, envelope.payloadType());
        assertEquals(key.publicKey(), envelope.publicKey());
    }

    @Test
    void envelopeDoesNotOpenUnderAnotherDomain() {
        byte[] bytes = record.seal(key).toBytes();
        assertThrows(InvalidEnvelopeException.class, () -> Envelope.open(bytes, "libp2p-relay-rsvp"));
    }

    @Test
    void recordSignedByAnotherPeerIsRejected() {
        PrivateKey other = PrivateKey.generate(new SecureRandom());
        byte[] bytes = Envelope.seal(other, PeerRecord.DOMAIN, PeerRecord.payloadType(), record.toPayload()).toBytes();
        assertThrows(InvalidEnvelopeException.class, () -> PeerRecord.open(bytes));
        assertThrows(IllegalArgumentException.class, () -> record.seal(other));
    }

    @Test
    void anyChangedByteIsRejectedOrLeavesTheRecordUnchanged() {
        byte[] good = record.seal(key).toBytes();
        Random random = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            byte[] bad = good.clone();
            bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
            try {
                // protobuf may tolerate a change in an unknown or duplicate field; the record must not change
                assertEquals(record, PeerRecord.open(bad));
            } catch (InvalidEnvelopeException expected) {
                // rejected with a reason
            }
        }
    }
}
