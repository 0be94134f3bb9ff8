package dev.hyphae.transport.libp2p.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.peer.proto.EnvelopeProto;
import dev.hyphae.transport.libp2p.peer.proto.KeysProto;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A signed envelope (libp2p RFC 0002): a payload, its type, the signer's public key and a
 * signature over the domain-separated concatenation of domain, type and payload. An instance
 * always carries a verified signature.
 */
public final class Envelope {

    private final PublicKey publicKey;
    private final byte[] payloadType;
    private final byte[] payload;
    private final byte[] signature;

    private Envelope(PublicKey publicKey, byte[] payloadType, byte[] payload, byte[] signature) {
        this.publicKey = publicKey;
        this.payloadType = payloadType;
        this.payload = payload;
        this.signature = signature;
    }

    /** Signs {@code payload} for {@code domain}. */
    public static Envelope seal(PrivateKey key, String domain, byte[] payloadType, byte[] payload) {
        Objects.requireNonNull(domain, "domain");
        byte[] signature = key.sign(signedBytes(domain, payloadType, payload));
        return new Envelope(key.publicKey(), payloadType.clone(), payload.clone(), signature);
    }

    /**
     * Decodes an envelope and checks its signature for {@code domain}.
     *
     * @throws InvalidEnvelopeException if malformed, signed by an unsupported key type, or the
     *     signature does not verify for this domain
     */
    public static Envelope open(byte[] encoded, String domain) {
        EnvelopeProto.Envelope proto;
        try {
            proto = EnvelopeProto.Envelope.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidEnvelopeException("malformed envelope: " + e.getMessage());
        }
        if (!proto.hasPublicKey()) {
            throw new InvalidEnvelopeException("envelope has no public key");
        }
        PublicKey key;
        try {
            key = PublicKey.fromProtobuf(proto.getPublicKey().toByteArray());
        } catch (KeyFormatException e) {
            throw new InvalidEnvelopeException("envelope key: " + e.getMessage());
        }
        byte[] payloadType = proto.getPayloadType().toByteArray();
        byte[] payload = proto.getPayload().toByteArray();
        byte[] signature = proto.getSignature().toByteArray();
        if (!key.verify(signedBytes(domain, payloadType, payload), signature)) {
            throw new InvalidEnvelopeException("envelope signature does not verify for domain '" + domain + "'");
        }
        return new Envelope(key, payloadType, payload, signature);
    }

    public byte[] toBytes() {
        KeysProto.PublicKey keyProto;
        try {
            keyProto = KeysProto.PublicKey.parseFrom(publicKey.toProtobuf());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("own key encoding does not parse", e);
        }
        return EnvelopeProto.Envelope.newBuilder()
            .setPublicKey(keyProto)
            .setPayloadType(ByteString.copyFrom(payloadType))
            .setPayload(ByteString.copyFrom(payload))
            .setSignature(ByteString.copyFrom(signature))
            .build()
            .toByteArray();
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public byte[] payloadType() {
        return payloadType.clone();
    }

    public byte[] payload() {
        return payload.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** varint(len(domain)) || domain || varint(len(type)) || type || varint(len(payload)) || payload */
    private static byte[] signedBytes(String domain, byte[] payloadType, byte[] payload) {
        byte[] domainBytes = domain.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : new byte[][] {domainBytes, payloadType, payload}) {
            UnsignedVarint.write(part.length, out);
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
