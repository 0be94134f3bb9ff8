package dev.hyphae.node.signing;

import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 signing key made from a 32-byte seed, with its key ID such as {@code ed25519:abc}. */
public final class SigningKey {
    public static final int SEED_LENGTH = 32;

    private final String keyId;
    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final VerifyKey verifyKey;

    private SigningKey(String keyId, Ed25519PrivateKeyParameters privateKey) {
        this.keyId = keyId;
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
        this.verifyKey = VerifyKey.fromBytes(keyId, publicKey);
    }

    public static SigningKey fromSeed(String keyId, byte[] seed) {
        KeyId.requireEd25519(keyId);
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + (seed == null ? "none" : seed.length));
        }
        return new SigningKey(keyId, new Ed25519PrivateKeyParameters(seed, 0));
    }

    public String keyId() {
        return keyId;
    }

    /** The 64-byte Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    public VerifyKey verifyKey() {
        return verifyKey;
    }

    /** A copy of the 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the 32-byte seed; callers must not log or store it. */
    public byte[] seed() {
        return privateKey.getEncoded();
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + " " + UnpaddedBase64.encode(publicKey) + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey key && key.keyId.equals(keyId) && Arrays.equals(key.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(publicKey);
    }
}
