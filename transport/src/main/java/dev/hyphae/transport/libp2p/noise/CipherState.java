package dev.hyphae.transport.libp2p.noise;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * The Noise CipherState (spec section 5.1) for ChaChaPoly: a key {@code k} and a nonce counter
 * {@code n}. Without a key, encryption and decryption pass data through unchanged. The AEAD is
 * {@link ChaCha20Poly1305}; its nonce is 32 zero bits followed by {@code n} as a little-endian
 * 64-bit integer (Noise spec section 12.3).
 */
public final class CipherState {

    /** The Poly1305 tag length. */
    public static final int TAG_LENGTH = 16;

    private ChaCha20Poly1305 k;
    private long n;

    /** InitializeKey(key): sets the key and resets the nonce. */
    public void initializeKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        }
        this.k = new ChaCha20Poly1305(key);
        this.n = 0;
    }

    public boolean hasKey() {
        return k != null;
    }

    /** EncryptWithAd(ad, plaintext). */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        return encryptWithAd(ad, plaintext, 0, plaintext.length);
    }

    public byte[] encryptWithAd(byte[] ad, byte[] plaintext, int offset, int length) {
        if (k == null) {
            return Arrays.copyOfRange(plaintext, offset, offset + length);
        }
        byte[] out = new byte[length + TAG_LENGTH];
        encryptWithAd(ad, plaintext, offset, length, out, 0);
        return out;
    }

    /**
     * EncryptWithAd into {@code out}, which needs room for {@code length + TAG_LENGTH} bytes.
     * Requires a key.
     *
     * @return the ciphertext length, {@code length + TAG_LENGTH}
     */
    public int encryptWithAd(byte[] ad, byte[] plaintext, int offset, int length, byte[] out, int outOffset) {
        long nonce = nextNonce();
        int written = k.seal(0, (int) nonce, (int) (nonce >>> 32), ad, plaintext, offset, length, out, outOffset);
        n++;
        return written;
    }

    /**
     * DecryptWithAd(ad, ciphertext). The nonce only advances when the tag verifies.
     *
     * @throws NoiseException if authentication fails
     */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        return decryptWithAd(ad, ciphertext, 0, ciphertext.length);
    }

    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext, int offset, int length) {
        if (k == null) {
            return Arrays.copyOfRange(ciphertext, offset, offset + length);
        }
        if (length < TAG_LENGTH) {
            throw new NoiseException("ciphertext shorter than the authentication tag");
        }
        byte[] out = new byte[length - TAG_LENGTH];
        decryptWithAd(ad, ciphertext, offset, length, out, 0);
        return out;
    }

    /**
     * DecryptWithAd into {@code out}, which needs room for {@code length - TAG_LENGTH} bytes.
     * Requires a key. The nonce only advances when the tag verifies.
     *
     * @return the plaintext length
     * @throws NoiseException if authentication fails
     */
    public int decryptWithAd(byte[] ad, byte[] ciphertext, int offset, int length, byte[] out, int outOffset) {
        if (length < TAG_LENGTH) {
            throw new NoiseException("ciphertext shorter than the authentication tag");
        }
        long nonce = nextNonce();
        int read;
        try {
            read = k.open(0, (int) nonce, (int) (nonce >>> 32), ad, ciphertext, offset, length, out, outOffset);
        } catch (AEADBadTagException e) {
            // the failed message does not consume a nonce
            throw new NoiseException("message authentication failed");
        }
        n++;
        return read;
    }

    /** The nonce for the next message; it is consumed by the caller once the message succeeds. */
    private long nextNonce() {
        if (k == null) {
            throw new IllegalStateException("no key: the handshake has not set one yet");
        }
        if (n == -1L) {
            // 2^64-1 is reserved; a session never gets this far in practice
            throw new NoiseException("nonce exhausted");
        }
        return n;
    }
}
