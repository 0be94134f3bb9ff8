package dev.hyphae.transport.libp2p.noise;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The Noise CipherState (spec section 5.1) for ChaChaPoly: a key {@code k} and a nonce counter
 * {@code n}. Without a key, encryption and decryption pass data through unchanged.
 */
public final class CipherState {

    /** The Poly1305 tag length. */
    public static final int TAG_LENGTH = 16;

    private byte[] k;
    private long n;

    /** InitializeKey(key): sets the key and resets the nonce. */
    public void initializeKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        }
        this.k = key.clone();
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
            return java.util.Arrays.copyOfRange(plaintext, offset, offset + length);
        }
        ChaCha20Poly1305 aead = cipher(true, ad);
        byte[] out = new byte[aead.getOutputSize(length)];
        int written = aead.processBytes(plaintext, offset, length, out, 0);
        try {
            aead.doFinal(out, written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail", e);
        }
        return out;
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
            return java.util.Arrays.copyOfRange(ciphertext, offset, offset + length);
        }
        if (length < TAG_LENGTH) {
            throw new NoiseException("ciphertext shorter than the authentication tag");
        }
        ChaCha20Poly1305 aead = cipher(false, ad);
        byte[] out = new byte[aead.getOutputSize(length)];
        int written = aead.processBytes(ciphertext, offset, length, out, 0);
        try {
            aead.doFinal(out, written);
        } catch (InvalidCipherTextException e) {
            n--; // the failed message does not consume a nonce
            throw new NoiseException("message authentication failed");
        }
        return out;
    }

    private ChaCha20Poly1305 cipher(boolean encrypt, byte[] ad) {
        if (n == -1L) {
            // 2^64-1 is reserved; a session never gets this far in practice
            throw new NoiseException("nonce exhausted");
        }
        byte[] nonce = new byte[12];
        long value = n++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (value >>> (8 * i));
        }
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(encrypt, new AEADParameters(new KeyParameter(k), TAG_LENGTH * 8, nonce, ad));
        return aead;
    }
}
