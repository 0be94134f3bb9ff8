package dev.hyphae.transport.libp2p.noise;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** A Curve25519 key pair and the Noise DH function over it (spec section 12.1). */
public final class DhKeyPair {

    public static final int DHLEN = 32;

    private final byte[] privateKey;
    private final byte[] publicKey;

    private DhKeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[DHLEN];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    /** GENERATE_KEYPAIR(). */
    public static DhKeyPair generate(SecureRandom random) {
        byte[] privateKey = new byte[DHLEN];
        X25519.generatePrivateKey(random, privateKey);
        return new DhKeyPair(privateKey);
    }

    /** The pair for a known private key (test vectors). */
    public static DhKeyPair fromPrivateKey(byte[] privateKey) {
        if (privateKey.length != DHLEN) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes");
        }
        return new DhKeyPair(privateKey.clone());
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * DH(key_pair, public_key).
     *
     * @throws NoiseException if the remote key is a low-order point (all-zero shared secret)
     */
    public byte[] dh(byte[] remotePublicKey) {
        if (remotePublicKey.length != DHLEN) {
            throw new NoiseException("X25519 public key must be 32 bytes");
        }
        byte[] shared = new byte[DHLEN];
        if (!X25519.calculateAgreement(privateKey, 0, remotePublicKey, 0, shared, 0)) {
            throw new NoiseException("X25519 agreement with a low-order point");
        }
        return shared;
    }
}
