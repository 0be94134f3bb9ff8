package dev.hyphae.node.mailbox;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 keys derived from a node's Ed25519 identity, so that envelopes can be sealed to a server
 * name alone. The private scalar is the clamped first half of SHA-512(seed), as Ed25519 itself
 * uses it; the public key is the Montgomery form u = (1 + y) / (1 - y) of the Edwards point
 * (RFC 7748, section 4.1), so both sides derive the same pair.
 */
public final class MailboxKeys {
    public static final int KEY_LENGTH = 32;
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    private MailboxKeys() {
    }

    /** The X25519 private key of the Ed25519 key with this 32-byte seed. */
    public static byte[] privateKey(byte[] ed25519Seed) {
        Objects.requireNonNull(ed25519Seed, "ed25519Seed");
        if (ed25519Seed.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + ed25519Seed.length);
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-512").digest(ed25519Seed);
            byte[] scalar = Arrays.copyOf(h, KEY_LENGTH);
            scalar[0] &= (byte) 248;
            scalar[31] &= 127;
            scalar[31] |= 64;
            Arrays.fill(h, (byte) 0);
            return scalar;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this Java runtime", e);
        }
    }

    /**
     * The X25519 public key of an Ed25519 public key.
     *
     * @throws IllegalArgumentException for a key of the wrong length or one with no Montgomery form
     */
    public static byte[] publicKey(byte[] ed25519PublicKey) {
        Objects.requireNonNull(ed25519PublicKey, "ed25519PublicKey");
        if (ed25519PublicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + ed25519PublicKey.length);
        }
        byte[] littleEndian = ed25519PublicKey.clone();
        littleEndian[31] &= 127; // the top bit is the sign of x, which u does not depend on
        BigInteger y = new BigInteger(1, reverse(littleEndian));
        if (y.compareTo(P) >= 0) {
            throw new IllegalArgumentException("not a canonical Ed25519 public key");
        }
        BigInteger denominator = BigInteger.ONE.subtract(y).mod(P);
        if (denominator.signum() == 0) {
            throw new IllegalArgumentException("an Ed25519 public key with y = 1 has no X25519 form");
        }
        BigInteger u = BigInteger.ONE.add(y).multiply(denominator.modInverse(P)).mod(P);
        byte[] bigEndian = u.toByteArray();
        byte[] out = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    /** The X25519 public key of a private one. */
    public static byte[] publicKeyOfPrivate(byte[] x25519PrivateKey) {
        byte[] out = new byte[KEY_LENGTH];
        X25519.scalarMultBase(x25519PrivateKey, 0, out, 0);
        return out;
    }

    /**
     * The X25519 shared secret.
     *
     * @throws IllegalArgumentException when the peer's key is a low-order point (all-zero result)
     */
    static byte[] agree(byte[] privateKey, byte[] peerPublicKey) {
        byte[] out = new byte[KEY_LENGTH];
        if (!X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, out, 0)) {
            throw new IllegalArgumentException("the peer's X25519 key is a low-order point");
        }
        return out;
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
