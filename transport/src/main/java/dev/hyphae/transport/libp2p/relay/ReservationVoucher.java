package dev.hyphae.transport.libp2p.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.peer.Envelope;
import dev.hyphae.transport.libp2p.peer.InvalidEnvelopeException;
import dev.hyphae.transport.libp2p.peer.InvalidPeerIdException;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto;
import java.util.Arrays;
import java.util.Objects;

/**
 * A reservation voucher (circuit-v2 spec, "Reservation Vouchers"): the relay's signed promise to
 * relay for {@code peer} until {@code expiration} (UNIX seconds), carried in a signed envelope.
 */
public record ReservationVoucher(PeerId relay, PeerId peer, long expiration) {

    /** The envelope's signature domain. */
    public static final String DOMAIN = "libp2p-relay-rsvp";
    /**
     * The envelope's payload type, multicodec 0x0302, written as its two big-endian bytes (not as a
     * varint) the way go-libp2p and js-libp2p write it, like the peer record's 0x0301.
     */
    private static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

    public ReservationVoucher {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(peer, "peer");
    }

    /** The canonical payload: fields in id order, nothing else. */
    public byte[] toPayload() {
        return CircuitProto.Voucher.newBuilder()
            .setRelay(ByteString.copyFrom(relay.toBytes()))
            .setPeer(ByteString.copyFrom(peer.toBytes()))
            .setExpiration(expiration)
            .build().toByteArray();
    }

    /** The voucher signed by the relay's key, as the bytes of an envelope. */
    public byte[] seal(PrivateKey relayKey) {
        if (!relay.matches(relayKey.publicKey())) {
            throw new IllegalArgumentException("a voucher is signed by its relay's key");
        }
        return Envelope.seal(relayKey, DOMAIN, PAYLOAD_TYPE, toPayload()).toBytes();
    }

    /**
     * Opens a voucher envelope, checking its signature, payload type, and that the relay named
     * inside signed it.
     *
     * @throws RelayException if any of that does not hold or the payload is malformed
     */
    public static ReservationVoucher open(byte[] envelopeBytes) throws RelayException {
        Envelope envelope;
        try {
            envelope = Envelope.open(envelopeBytes, DOMAIN);
        } catch (InvalidEnvelopeException e) {
            throw new RelayException("invalid reservation voucher: " + e.getMessage());
        }
        if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
            throw new RelayException("reservation voucher has payload type "
                + java.util.HexFormat.of().formatHex(envelope.payloadType()) + ", expected 0302");
        }
        CircuitProto.Voucher voucher;
        try {
            voucher = CircuitProto.Voucher.parseFrom(envelope.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new RelayException("malformed reservation voucher: " + e.getMessage());
        }
        if (!voucher.hasRelay() || !voucher.hasPeer() || !voucher.hasExpiration()) {
            throw new RelayException("reservation voucher lacks relay, peer or expiration");
        }
        ReservationVoucher result;
        try {
            result = new ReservationVoucher(PeerId.fromBytes(voucher.getRelay().toByteArray()),
                PeerId.fromBytes(voucher.getPeer().toByteArray()), voucher.getExpiration());
        } catch (InvalidPeerIdException e) {
            throw new RelayException("reservation voucher names an invalid peer: " + e.getMessage());
        }
        if (!result.relay().matches(envelope.publicKey())) {
            throw new RelayException("reservation voucher is not signed by the relay it names");
        }
        return result;
    }
}
