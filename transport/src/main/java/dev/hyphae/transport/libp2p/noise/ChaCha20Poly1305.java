package dev.hyphae.transport.libp2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * The ChaCha20-Poly1305 AEAD of RFC 8439 section 2.8, written out here because on Java 17 neither
 * the JDK's SunJCE cipher (its keystream and Poly1305 field arithmetic are not intrinsified) nor
 * any Maven Central library (BouncyCastle is slower still) comes close to what plain Java on local
 * ints and 64-bit limbs can do; Noise spends nearly all of a connection's CPU here.
 *
 * <p>Sealing writes ciphertext and tag into the caller's array; opening verifies the tag in
 * constant time before anything is decrypted, so a rejected message leaves {@code out} untouched.
 * Not thread-safe: one instance per direction.
 */
public final class ChaCha20Poly1305 {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ChaCha20 chacha;
    private final Poly1305 poly = new Poly1305();
    private final byte[] oneTimeKey = new byte[ChaCha20.BLOCK_LENGTH];
    private final byte[] lengths = new byte[16];
    private final byte[] tag = new byte[TAG_LENGTH];
    private final byte[] received = new byte[TAG_LENGTH];

    public ChaCha20Poly1305(byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, not " + key.length);
        }
        this.chacha = new ChaCha20(key);
    }

    /**
     * Encrypts {@code in[inOff..inOff+length)} and writes the ciphertext followed by the 16-byte tag
     * to {@code out} at {@code outOff}. {@code in} and {@code out} may be the same array at the same
     * offset.
     *
     * @return {@code length + TAG_LENGTH}
     */
    public int seal(byte[] nonce, byte[] ad, byte[] in, int inOff, int length, byte[] out, int outOff) {
        checkNonce(nonce);
        return seal(leInt(nonce, 0), leInt(nonce, 4), leInt(nonce, 8), ad, in, inOff, length, out, outOff);
    }

    /**
     * Verifies and decrypts {@code in[inOff..inOff+length)} (ciphertext then tag) into {@code out} at
     * {@code outOff}.
     *
     * @return the plaintext length, {@code length - TAG_LENGTH}
     * @throws AEADBadTagException if the tag does not match or the input is shorter than a tag;
     *     {@code out} is then unchanged
     */
    public int open(byte[] nonce, byte[] ad, byte[] in, int inOff, int length, byte[] out, int outOff)
        throws AEADBadTagException {
        checkNonce(nonce);
        return open(leInt(nonce, 0), leInt(nonce, 4), leInt(nonce, 8), ad, in, inOff, length, out, outOff);
    }

    /** {@link #seal(byte[], byte[], byte[], int, int, byte[], int)} with the nonce as three little-endian words. */
    int seal(int n0, int n1, int n2, byte[] ad, byte[] in, int inOff, int length, byte[] out, int outOff) {
        Objects.checkFromIndexSize(inOff, length, in.length);
        Objects.checkFromIndexSize(outOff, length + TAG_LENGTH, out.length);
        startMac(n0, n1, n2, ad);
        chacha.xor(1, n0, n1, n2, in, inOff, out, outOff, length);
        finishMac(out, outOff, length, ad.length);
        System.arraycopy(tag, 0, out, outOff + length, TAG_LENGTH);
        return length + TAG_LENGTH;
    }

    /** {@link #open(byte[], byte[], byte[], int, int, byte[], int)} with the nonce as three little-endian words. */
    int open(int n0, int n1, int n2, byte[] ad, byte[] in, int inOff, int length, byte[] out, int outOff)
        throws AEADBadTagException {
        if (length < TAG_LENGTH) {
            throw new AEADBadTagException("input shorter than the authentication tag");
        }
        int textLength = length - TAG_LENGTH;
        Objects.checkFromIndexSize(inOff, length, in.length);
        Objects.checkFromIndexSize(outOff, textLength, out.length);
        startMac(n0, n1, n2, ad);
        finishMac(in, inOff, textLength, ad.length);
        System.arraycopy(in, inOff + textLength, received, 0, TAG_LENGTH);
        if (!MessageDigest.isEqual(tag, received)) {
            throw new AEADBadTagException("tag mismatch");
        }
        chacha.xor(1, n0, n1, n2, in, inOff, out, outOff, textLength);
        return textLength;
    }

    /** Keys Poly1305 with the first half of keystream block 0 and absorbs the padded AD. */
    private void startMac(int n0, int n1, int n2, byte[] ad) {
        chacha.block(0, n0, n1, n2, oneTimeKey, 0);
        poly.init(oneTimeKey, 0);
        Arrays.fill(oneTimeKey, (byte) 0);
        poly.update(ad, 0, ad.length);
        poly.padToBlock();
    }

    /** Absorbs the padded ciphertext and both lengths, leaving the tag in {@link #tag}. */
    private void finishMac(byte[] ciphertext, int offset, int length, int adLength) {
        poly.update(ciphertext, offset, length);
        poly.padToBlock();
        LE_LONG.set(lengths, 0, (long) adLength);
        LE_LONG.set(lengths, 8, (long) length);
        poly.update(lengths, 0, lengths.length);
        poly.finish(tag, 0);
    }

    private static void checkNonce(byte[] nonce) {
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 nonce must be 12 bytes, not " + nonce.length);
        }
    }

    private static int leInt(byte[] b, int offset) {
        return (int) LE_INT.get(b, offset);
    }
}
