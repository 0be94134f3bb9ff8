package dev.hyphae.transport.libp2p.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.peer.proto.KeysProto;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public identity key, the only key type Hyphae accepts from peers. */
public final class PublicKey {

    /** Raw Ed25519 public keys are 32 bytes. */
    public static final int LENGTH = 32;

    private final byte[] raw;

    private PublicKey(byte[] raw) {
        this.raw = raw;
    }

    /**
     * Wraps a raw 32-byte Ed25519 public key.
     *
     * @throws KeyFormatException if the length is wrong
     */
    public static PublicKey ofRaw(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != LENGTH) {
            throw new KeyFormatException("Ed25519 public key must be 32 bytes, was " + raw.length);
        }
        return new PublicKey(raw.clone());
    }

    /**
     * Decodes the peer-ids spec {@code PublicKey} protobuf.
     *
     * @throws KeyFormatException if it is not a well-formed Ed25519 key
     */
    public static PublicKey fromProtobuf(byte[] encoded) {
        KeysProto.PublicKey proto;
        try {
            proto = KeysProto.PublicKey.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new KeyFormatException("malformed PublicKey protobuf: " + e.getMessage());
        }
        if (proto.getType() != KeysProto.KeyType.Ed25519) {
            throw new KeyFormatException("unsupported key type " + proto.getType());
        }
        return ofRaw(proto.getData().toByteArray());
    }

    /** The deterministic {@code PublicKey} protobuf: {@code 08 01 12 20 <32 bytes>}. */
    public byte[] toProtobuf() {
        return KeysProto.PublicKey.newBuilder()
            .setType(KeysProto.KeyType.Ed25519)
            .setData(ByteString.copyFrom(raw))
            .build()
            .toByteArray();
    }

    public byte[] raw() {
        return raw.clone();
    }

    /** Checks an Ed25519 signature; any malformed signature or key is simply invalid. */
    public boolean verify(byte[] data, byte[] signature) {
        if (signature == null || signature.length != 64) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public PeerId toPeerId() {
        return PeerId.fromPublicKey(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && Arrays.equals(k.raw, raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Ed25519 " + HexFormat.of().formatHex(raw);
    }
}
