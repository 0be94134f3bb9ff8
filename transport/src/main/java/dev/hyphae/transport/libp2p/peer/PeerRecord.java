package dev.hyphae.transport.libp2p.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.MultiaddrException;
import dev.hyphae.transport.libp2p.peer.proto.PeerRecordProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A peer record (libp2p RFC 0003): a peer's listen addresses with a sequence number, published
 * inside a signed envelope so that others can pass it on without being able to alter it.
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {

    /** The envelope domain of peer records. */
    public static final String DOMAIN = "libp2p-peer-record";

    /** The multicodec {@code libp2p-peer-record} (0x0301), written as its two big-endian bytes as go and js do. */
    private static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

    public PeerRecord {
        Objects.requireNonNull(peerId, "peerId");
        addresses = List.copyOf(addresses);
    }

    public static byte[] payloadType() {
        return PAYLOAD_TYPE.clone();
    }

    /** Wraps this record in an envelope signed by {@code key}, which must be the record's peer. */
    public Envelope seal(PrivateKey key) {
        if (!peerId.matches(key.publicKey())) {
            throw new IllegalArgumentException("a peer record must be signed by its own peer");
        }
        return Envelope.seal(key, DOMAIN, PAYLOAD_TYPE, toPayload());
    }

    /**
     * Opens a signed peer record: verifies the envelope, its payload type, and that the signer is
     * the peer the record is about.
     *
     * @throws InvalidEnvelopeException otherwise
     */
    public static PeerRecord open(byte[] envelopeBytes) {
        Envelope envelope = Envelope.open(envelopeBytes, DOMAIN);
        if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
            throw new InvalidEnvelopeException("envelope payload is not a peer record");
        }
        PeerRecord record = fromPayload(envelope.payload());
        if (!record.peerId().matches(envelope.publicKey())) {
            throw new InvalidEnvelopeException("peer record for " + record.peerId() + " is signed by another key");
        }
        return record;
    }

    public byte[] toPayload() {
        PeerRecordProto.PeerRecord.Builder b = PeerRecordProto.PeerRecord.newBuilder()
            .setPeerId(ByteString.copyFrom(peerId.toBytes()))
            .setSeq(seq);
        for (Multiaddr a : addresses) {
            b.addAddresses(PeerRecordProto.PeerRecord.AddressInfo.newBuilder()
                .setMultiaddr(ByteString.copyFrom(a.toBytes())));
        }
        return b.build().toByteArray();
    }

    /**
     * Decodes a record payload (without an envelope).
     *
     * @throws InvalidEnvelopeException if the protobuf, peer id or any address is malformed
     */
    public static PeerRecord fromPayload(byte[] payload) {
        PeerRecordProto.PeerRecord proto;
        try {
            proto = PeerRecordProto.PeerRecord.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidEnvelopeException("malformed peer record: " + e.getMessage());
        }
        try {
            PeerId id = PeerId.fromBytes(proto.getPeerId().toByteArray());
            List<Multiaddr> addrs = new ArrayList<>();
            for (PeerRecordProto.PeerRecord.AddressInfo info : proto.getAddressesList()) {
                addrs.add(Multiaddr.fromBytes(info.getMultiaddr().toByteArray()));
            }
            return new PeerRecord(id, proto.getSeq(), addrs);
        } catch (InvalidPeerIdException | MultiaddrException e) {
            throw new InvalidEnvelopeException("peer record: " + e.getMessage());
        }
    }
}
