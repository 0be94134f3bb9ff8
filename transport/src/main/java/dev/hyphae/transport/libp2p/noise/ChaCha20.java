package dev.hyphae.transport.libp2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The ChaCha20 stream cipher of RFC 8439 section 2.4: 32-byte key, 96-bit nonce, 32-bit block counter.
 *
 * <p>The state of a block lives in local ints, so the JIT keeps it in registers and turns
 * {@link Integer#rotateLeft} into rotate instructions; the keystream is XORed straight between the
 * caller's arrays, eight bytes at a time through little-endian long views (fewer memory operations
 * than int views), without an intermediate keystream array.
 *
 * <p>When the JVM runs with {@code --add-modules jdk.incubator.vector} on a CPU with 256-bit
 * vectors, runs of eight whole blocks go through {@link ChaCha20Lanes} instead, and only the rest
 * through the scalar rounds here. The incubating module is optional: without it, or on narrower
 * vector units, everything stays scalar.
 * Instances hold only the key and are immutable.
 */
final class ChaCha20 {

    static final int KEY_LENGTH = 32;
    static final int BLOCK_LENGTH = 64;

    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    // "expand 32-byte k"
    static final int C0 = 0x61707865;
    static final int C1 = 0x3320646e;
    static final int C2 = 0x79622d32;
    static final int C3 = 0x6b206574;

    /** Whether {@link ChaCha20Lanes} can run here; checked before that class is ever loaded. */
    static final boolean LANES_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && ChaCha20Lanes.native256();

    /** Read-only: XORing it yields the keystream itself. */
    private static final byte[] ZEROS = new byte[BLOCK_LENGTH];

    private final int k0, k1, k2, k3, k4, k5, k6, k7;
    /** The key words for {@link ChaCha20Lanes}, or null to stay scalar. */
    private final int[] laneKey;

    ChaCha20(byte[] key) {
        this(key, LANES_AVAILABLE);
    }

    /** @param lanes whether to use {@link ChaCha20Lanes}; only when {@link #LANES_AVAILABLE} */
    ChaCha20(byte[] key, boolean lanes) {
        if (lanes && !LANES_AVAILABLE) {
            throw new IllegalStateException("the Vector API (jdk.incubator.vector) is not available");
        }
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("ChaCha20 key must be 32 bytes, not " + key.length);
        }
        k0 = (int) LE_INT.get(key, 0);
        k1 = (int) LE_INT.get(key, 4);
        k2 = (int) LE_INT.get(key, 8);
        k3 = (int) LE_INT.get(key, 12);
        k4 = (int) LE_INT.get(key, 16);
        k5 = (int) LE_INT.get(key, 20);
        k6 = (int) LE_INT.get(key, 24);
        k7 = (int) LE_INT.get(key, 28);
        laneKey = lanes ? new int[] {k0, k1, k2, k3, k4, k5, k6, k7} : null;
    }

    /** The 64-byte keystream block for {@code counter} and the nonce words {@code n0..n2}. */
    void block(int counter, int n0, int n1, int n2, byte[] out, int outOff) {
        Objects.checkFromIndexSize(outOff, BLOCK_LENGTH, out.length);
        xor(counter, n0, n1, n2, ZEROS, 0, out, outOff, BLOCK_LENGTH);
    }

    /**
     * XORs {@code length} bytes of {@code in} with the keystream that starts at block {@code counter}
     * and writes them to {@code out}. {@code in} and {@code out} may be the same array at the same
     * offset, but must not overlap otherwise.
     *
     * @throws IllegalArgumentException if the 32-bit block counter would wrap
     */
    void xor(int counter, int n0, int n1, int n2, byte[] in, int inOff, byte[] out, int outOff, int length) {
        Objects.checkFromIndexSize(inOff, length, in.length);
        Objects.checkFromIndexSize(outOff, length, out.length);
        long blocks = (length + (long) BLOCK_LENGTH - 1) / BLOCK_LENGTH;
        if ((counter & 0xffffffffL) + blocks > 0x1_0000_0000L) {
            throw new IllegalArgumentException("ChaCha20 block counter would wrap");
        }
        if (laneKey != null && length >= ChaCha20Lanes.CHUNK) {
            int done = ChaCha20Lanes.xorChunks(laneKey, counter, n0, n1, n2, in, inOff, out, outOff, length);
            counter += done / BLOCK_LENGTH;
            inOff += done;
            outOff += done;
            length -= done;
        }
        final int k0 = this.k0, k1 = this.k1, k2 = this.k2, k3 = this.k3, k4 = this.k4, k5 = this.k5, k6 = this.k6, k7 = this.k7;
        while (length > 0) {
            int x0 = C0;
            int x1 = C1;
            int x2 = C2;
            int x3 = C3;
            int x4 = k0;
            int x5 = k1;
            int x6 = k2;
            int x7 = k3;
            int x8 = k4;
            int x9 = k5;
            int x10 = k6;
            int x11 = k7;
            int x12 = counter;
            int x13 = n0;
            int x14 = n1;
            int x15 = n2;
            for (int i = 0; i < 10; i++) {
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            x0 += C0;
            x1 += C1;
            x2 += C2;
            x3 += C3;
            x4 += k0;
            x5 += k1;
            x6 += k2;
            x7 += k3;
            x8 += k4;
            x9 += k5;
            x10 += k6;
            x11 += k7;
            x12 += counter;
            x13 += n0;
            x14 += n1;
            x15 += n2;
            if (length >= BLOCK_LENGTH) {
                LE_LONG.set(out, outOff + 0, (long) LE_LONG.get(in, inOff + 0) ^ ((x0 & 0xffffffffL) | ((long) x1 << 32)));
                LE_LONG.set(out, outOff + 8, (long) LE_LONG.get(in, inOff + 8) ^ ((x2 & 0xffffffffL) | ((long) x3 << 32)));
                LE_LONG.set(out, outOff + 16, (long) LE_LONG.get(in, inOff + 16) ^ ((x4 & 0xffffffffL) | ((long) x5 << 32)));
                LE_LONG.set(out, outOff + 24, (long) LE_LONG.get(in, inOff + 24) ^ ((x6 & 0xffffffffL) | ((long) x7 << 32)));
                LE_LONG.set(out, outOff + 32, (long) LE_LONG.get(in, inOff + 32) ^ ((x8 & 0xffffffffL) | ((long) x9 << 32)));
                LE_LONG.set(out, outOff + 40, (long) LE_LONG.get(in, inOff + 40) ^ ((x10 & 0xffffffffL) | ((long) x11 << 32)));
                LE_LONG.set(out, outOff + 48, (long) LE_LONG.get(in, inOff + 48) ^ ((x12 & 0xffffffffL) | ((long) x13 << 32)));
                LE_LONG.set(out, outOff + 56, (long) LE_LONG.get(in, inOff + 56) ^ ((x14 & 0xffffffffL) | ((long) x15 << 32)));
                inOff += BLOCK_LENGTH;
                outOff += BLOCK_LENGTH;
                length -= BLOCK_LENGTH;
            } else {
                // the last, partial block
                byte[] keystream = new byte[BLOCK_LENGTH];
                LE_INT.set(keystream, 0, x0);
                LE_INT.set(keystream, 4, x1);
                LE_INT.set(keystream, 8, x2);
                LE_INT.set(keystream, 12, x3);
                LE_INT.set(keystream, 16, x4);
                LE_INT.set(keystream, 20, x5);
                LE_INT.set(keystream, 24, x6);
                LE_INT.set(keystream, 28, x7);
                LE_INT.set(keystream, 32, x8);
                LE_INT.set(keystream, 36, x9);
                LE_INT.set(keystream, 40, x10);
                LE_INT.set(keystream, 44, x11);
                LE_INT.set(keystream, 48, x12);
                LE_INT.set(keystream, 52, x13);
                LE_INT.set(keystream, 56, x14);
                LE_INT.set(keystream, 60, x15);
                for (int i = 0; i < length; i++) {
                    out[outOff + i] = (byte) (in[inOff + i] ^ keystream[i]);
                }
                length = 0;
            }
            counter++;
        }
    }
}
