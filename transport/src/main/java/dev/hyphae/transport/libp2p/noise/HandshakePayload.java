package dev.hyphae.transport.libp2p.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.noise.proto.NoisePayloadProto;
import dev.hyphae.transport.libp2p.peer.KeyFormatException;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The libp2p handshake payload (noise spec): the identity key, its signature over the Noise static
 * key, and the extensions, of which Hyphae uses {@code stream_muxers}.
 */
public record HandshakePayload(PublicKey identityKey, List<String> streamMuxers) {

    private static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

    public HandshakePayload {
        streamMuxers = List.copyOf(streamMuxers);
    }

    public PeerId peerId() {
        return identityKey.toPeerId();
    }

    /** The payload for {@code identity} binding {@code staticKey}, advertising {@code muxers}. */
    public static byte[] encode(PrivateKey identity, byte[] staticKey, List<String> muxers) {
        NoisePayloadProto.NoiseHandshakePayload.Builder b = NoisePayloadProto.NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(identity.publicKey().toProtobuf()))
            .setIdentitySig(ByteString.copyFrom(identity.sign(signedData(staticKey))));
        if (!muxers.isEmpty()) {
            b.setExtensions(NoisePayloadProto.NoiseExtensions.newBuilder().addAllStreamMuxers(muxers));
        }
        return b.build().toByteArray();
    }

    /**
     * Decodes a received payload and checks that its identity key signed {@code remoteStaticKey}.
     *
     * @throws NoiseException if malformed, the key is not Ed25519, or the signature does not verify
     */
    public static HandshakePayload verify(byte[] payload, byte[] remoteStaticKey) {
        NoisePayloadProto.NoiseHandshakePayload proto;
        try {
            proto = NoisePayloadProto.NoiseHandshakePayload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new NoiseException("malformed handshake payload: " + e.getMessage());
        }
        if (!proto.hasIdentityKey() || !proto.hasIdentitySig()) {
            throw new NoiseException("handshake payload lacks the identity key or signature");
        }
        PublicKey key;
        try {
            key = PublicKey.fromProtobuf(proto.getIdentityKey().toByteArray());
        } catch (KeyFormatException e) {
            throw new NoiseException("handshake identity key: " + e.getMessage());
        }
        if (!key.verify(signedData(remoteStaticKey), proto.getIdentitySig().toByteArray())) {
            throw new NoiseException("identity signature over the Noise static key does not verify");
        }
        return new HandshakePayload(key, proto.getExtensions().getStreamMuxersList());
    }

    private static byte[] signedData(byte[] staticKey) {
        byte[] data = new byte[SIGNATURE_PREFIX.length + staticKey.length];
        System.arraycopy(SIGNATURE_PREFIX, 0, data, 0, SIGNATURE_PREFIX.length);
        System.arraycopy(staticKey, 0, data, SIGNATURE_PREFIX.length, staticKey.length);
        return data;
    }
}
