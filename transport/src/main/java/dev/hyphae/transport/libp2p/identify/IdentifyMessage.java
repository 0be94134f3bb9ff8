package dev.hyphae.transport.libp2p.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.identify.proto.IdentifyProto;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.MultiaddrException;
import dev.hyphae.transport.libp2p.peer.Envelope;
import dev.hyphae.transport.libp2p.peer.KeyFormatException;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a peer tells about itself in identify. Absent fields are empty; a push may carry only the
 * fields that changed.
 *
 * @param signedPeerRecord the verified record, when the sender included one
 * @param signedPeerRecordEnvelope the envelope bytes of that record, to forward unchanged
 */
public record IdentifyMessage(
        Optional<PublicKey> publicKey,
        List<Multiaddr> listenAddrs,
        List<String> protocols,
        Optional<Multiaddr> observedAddr,
        Optional<String> protocolVersion,
        Optional<String> agentVersion,
        Optional<PeerRecord> signedPeerRecord,
        Optional<byte[]> signedPeerRecordEnvelope) {

    private static final Logger LOG = LoggerFactory.getLogger(IdentifyMessage.class);

    public IdentifyMessage {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(observedAddr, "observedAddr");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(signedPeerRecord, "signedPeerRecord");
        Objects.requireNonNull(signedPeerRecordEnvelope, "signedPeerRecordEnvelope");
        listenAddrs = List.copyOf(listenAddrs);
        protocols = List.copyOf(protocols);
        signedPeerRecordEnvelope = signedPeerRecordEnvelope.map(byte[]::clone);
    }

    /**
     * The message this node sends: its key, addresses and protocols, the address it sees the
     * remote at, and optionally its signed peer record.
     */
    public static IdentifyMessage of(PublicKey publicKey, List<Multiaddr> listenAddrs, List<String> protocols,
            Optional<Multiaddr> observedAddr, String agentVersion, Optional<Envelope> signedPeerRecord) {
        return new IdentifyMessage(Optional.of(publicKey), listenAddrs, protocols, observedAddr,
                Optional.of(IdentifyProtocol.PROTOCOL_VERSION), Optional.of(agentVersion),
                Optional.empty(), signedPeerRecord.map(Envelope::toBytes));
    }

    /** The protobuf wire form (without the length prefix). */
    public byte[] toProtobuf() {
        IdentifyProto.Identify.Builder b = IdentifyProto.Identify.newBuilder();
        publicKey.ifPresent(k -> b.setPublicKey(ByteString.copyFrom(k.toProtobuf())));
        listenAddrs.forEach(a -> b.addListenAddrs(ByteString.copyFrom(a.toBytes())));
        b.addAllProtocols(protocols);
        observedAddr.ifPresent(a -> b.setObservedAddr(ByteString.copyFrom(a.toBytes())));
        protocolVersion.ifPresent(b::setProtocolVersion);
        agentVersion.ifPresent(b::setAgentVersion);
        signedPeerRecordEnvelope.ifPresent(e -> b.setSignedPeerRecord(ByteString.copyFrom(e)));
        return b.build().toByteArray();
    }

    /**
     * Decodes and checks a message received from {@code remotePeer}: the public key, when present,
     * must be that peer's (and must be present unless {@code push}); a signed peer record must verify
     * and be about that peer. Listen addresses we cannot parse are skipped; the observed address
     * loses a trailing {@code /p2p/<id>}.
     *
     * @throws IdentifyException with the reason otherwise
     */
    public static IdentifyMessage fromProtobuf(byte[] bytes, PeerId remotePeer, boolean push) throws IdentifyException {
        IdentifyProto.Identify proto;
        try {
            proto = IdentifyProto.Identify.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IdentifyException("malformed identify message: " + e.getMessage());
        }
        return fromProto(proto, remotePeer, push);
    }

    static IdentifyMessage fromProto(IdentifyProto.Identify proto, PeerId remotePeer, boolean push)
            throws IdentifyException {
        Optional<PublicKey> key = Optional.empty();
        if (proto.hasPublicKey()) {
            try {
                key = Optional.of(PublicKey.fromProtobuf(proto.getPublicKey().toByteArray()));
            } catch (KeyFormatException e) {
                throw new IdentifyException("bad publicKey: " + e.getMessage());
            }
            if (!remotePeer.matches(key.get())) {
                throw new IdentifyException("publicKey does not belong to the connection's peer " + remotePeer);
            }
        } else if (!push) {
            throw new IdentifyException("identify message without publicKey");
        }

        List<Multiaddr> listen = new ArrayList<>();
        for (ByteString addr : proto.getListenAddrsList()) {
            try {
                listen.add(Multiaddr.fromBytes(addr.toByteArray()));
            } catch (MultiaddrException e) {
                LOG.debug("skipping listen address of {}: {}", remotePeer, e.getMessage());
            }
        }

        Optional<Multiaddr> observed = Optional.empty();
        if (proto.hasObservedAddr()) {
            try {
                observed = Optional.of(Multiaddr.fromBytes(proto.getObservedAddr().toByteArray()).withoutPeerId());
            } catch (MultiaddrException e) {
                LOG.debug("ignoring observed address from {}: {}", remotePeer, e.getMessage());
            }
        }

        Optional<PeerRecord> record = Optional.empty();
        Optional<byte[]> envelope = Optional.empty();
        if (proto.hasSignedPeerRecord()) {
            byte[] bytes = proto.getSignedPeerRecord().toByteArray();
            PeerRecord opened;
            try {
                opened = PeerRecord.open(bytes);
            } catch (IllegalArgumentException e) { // InvalidEnvelope, KeyFormat and Multiaddr exceptions
                throw new IdentifyException("signedPeerRecord does not verify: " + e.getMessage());
            }
            if (!opened.peerId().equals(remotePeer)) {
                throw new IdentifyException("signedPeerRecord is about " + opened.peerId() + ", not " + remotePeer);
            }
            record = Optional.of(opened);
            envelope = Optional.of(bytes);
        }

        return new IdentifyMessage(key, listen, proto.getProtocolsList(), observed,
                proto.hasProtocolVersion() ? Optional.of(proto.getProtocolVersion()) : Optional.empty(),
                proto.hasAgentVersion() ? Optional.of(proto.getAgentVersion()) : Optional.empty(),
                record, envelope);
    }
}
