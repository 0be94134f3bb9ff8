package dev.hyphae.transport.libp2p.noise;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Noise CipherState (spec section 5.1) for ChaChaPoly: a key {@code k} and a nonce counter
 * {@code n}. Without a key, encryption and decryption pass data through unchanged. Uses the JDK's
 * own ChaCha20-Poly1305 (RFC 8439), which the JIT compiles far better than a portable version.
 */
public final class CipherState {

    /** The Poly1305 tag length. */
    public static final int TAG_LENGTH = 16;

    private SecretKeySpec k;
    private Cipher cipher;
    private long n;
    private final byte[] nonce = new byte[12];

    /** InitializeKey(key): sets the key and resets the nonce. */
    public void initializeKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        }
        this.k = new SecretKeySpec(key, "ChaCha20");
        this.n = 0;
        this.cipher = null;
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
        init(Cipher.ENCRYPT_MODE, ad);
        try {
            return cipher.doFinal(plaintext, offset, length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption cannot fail", e);
        }
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
        init(Cipher.DECRYPT_MODE, ad);
        try {
            return cipher.doFinal(ciphertext, offset, length, out, outOffset);
        } catch (AEADBadTagException e) {
            n--; // the failed message does not consume a nonce
            // The JDK refuses to initialise a cipher twice in a row with one key and nonce, which
            // the next message reuses; a fresh instance has no memory of it.
            cipher = null;
            throw new NoiseException("message authentication failed");
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed unexpectedly", e);
        }
    }

    private void init(int mode, byte[] ad) {
        if (k == null) {
            throw new IllegalStateException("no key: the handshake has not set one yet");
        }
        if (n == -1L) {
            // 2^64-1 is reserved; a session never gets this far in practice
            throw new NoiseException("nonce exhausted");
        }
        long value = n++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (value >>> (8 * i));
        }
        try {
            if (cipher == null) {
                cipher = Cipher.getInstance("ChaCha20-Poly1305");
            }
            cipher.init(mode, k, new IvParameterSpec(nonce));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 rejected a 32-byte key and 12-byte nonce", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides ChaCha20-Poly1305 since Java 11", e);
        }
        if (ad.length > 0) {
            cipher.updateAAD(ad);
        }
    }
}
