package dev.hyphae.node.signing;

import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key with its key ID, as published in a server's {@code verify_keys}. */
public final class VerifyKey {
    public static final int KEY_LENGTH = 32;

    private final String keyId;
    private final byte[] publicKey;
    private final Ed25519PublicKeyParameters parameters;

    private VerifyKey(String keyId, byte[] publicKey) {
        this.keyId = keyId;
        this.publicKey = publicKey;
        // BouncyCastle decodes the point once here, so each verification skips the decompression.
        this.parameters = new Ed25519PublicKeyParameters(publicKey, 0);
    }

    public static VerifyKey fromBytes(String keyId, byte[] publicKey) {
        KeyId.requireEd25519Published(keyId);
        if (publicKey == null || publicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got "
                    + (publicKey == null ? "none" : publicKey.length));
        }
        try {
            return new VerifyKey(keyId, publicKey.clone());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The key from its unpadded base64 form, as in {@code verify_keys.<key id>.key}. */
    public static VerifyKey fromBase64(String keyId, String base64) {
        return fromBytes(keyId, UnpaddedBase64.decode(base64));
    }

    public String keyId() {
        return keyId;
    }

    /** True when {@code signature} is a valid Ed25519 signature of {@code message} by this key. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        return parameters.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String publicKeyBase64() {
        return UnpaddedBase64.encode(publicKey);
    }

    Ed25519PublicKeyParameters parameters() {
        return parameters;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifyKey key && key.keyId.equals(keyId) && Arrays.equals(key.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "VerifyKey[" + keyId + " " + publicKeyBase64() + "]";
    }
}
