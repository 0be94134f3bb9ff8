package dev.hyphae.transport.libp2p.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.peer.proto.KeysProto;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 private identity key, kept as its 32-byte seed. */
public final class PrivateKey {

    public static final int SEED_LENGTH = 32;

    private final Ed25519PrivateKeyParameters key;
    private final PublicKey publicKey;

    private PrivateKey(byte[] seed) {
        this.key = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = PublicKey.ofRaw(key.generatePublicKey().getEncoded());
    }

    /**
     * The key for a 32-byte RFC 8032 seed.
     *
     * @throws KeyFormatException if the seed is not 32 bytes
     */
    public static PrivateKey fromSeed(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != SEED_LENGTH) {
            throw new KeyFormatException("Ed25519 seed must be 32 bytes, was " + seed.length);
        }
        return new PrivateKey(seed.clone());
    }

    public static PrivateKey generate(SecureRandom random) {
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        return new PrivateKey(seed);
    }

    /**
     * Decodes the peer-ids spec {@code PrivateKey} protobuf, whose Ed25519 data is the seed followed
     * by the public key (64 bytes).
     *
     * @throws KeyFormatException if malformed, not Ed25519, or the two halves disagree
     */
    public static PrivateKey fromProtobuf(byte[] encoded) {
        KeysProto.PrivateKey proto;
        try {
            proto = KeysProto.PrivateKey.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new KeyFormatException("malformed PrivateKey protobuf: " + e.getMessage());
        }
        if (proto.getType() != KeysProto.KeyType.Ed25519) {
            throw new KeyFormatException("unsupported key type " + proto.getType());
        }
        byte[] data = proto.getData().toByteArray();
        if (data.length != 64) {
            throw new KeyFormatException("Ed25519 private key data must be 64 bytes, was " + data.length);
        }
        PrivateKey key = new PrivateKey(Arrays.copyOf(data, 32));
        if (!MessageDigest.isEqual(key.publicKey.raw(), Arrays.copyOfRange(data, 32, 64))) {
            throw new KeyFormatException("Ed25519 private key data holds a public key that does not match the seed");
        }
        return key;
    }

    public byte[] toProtobuf() {
        byte[] data = new byte[64];
        System.arraycopy(key.getEncoded(), 0, data, 0, 32);
        System.arraycopy(publicKey.raw(), 0, data, 32, 32);
        return KeysProto.PrivateKey.newBuilder()
            .setType(KeysProto.KeyType.Ed25519)
            .setData(ByteString.copyFrom(data))
            .build()
            .toByteArray();
    }

    public byte[] seed() {
        return key.getEncoded();
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public PeerId peerId() {
        return publicKey.toPeerId();
    }

    /** An Ed25519 signature (RFC 8032, pure) over {@code data}. */
    public byte[] sign(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        return "PrivateKey(" + peerId() + ")";
    }
}
