package dev.hyphae.transport.libp2p.noise;

import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Eight ChaCha20 blocks at once (RFC 8439 section 2.3) in the lanes of 256-bit int vectors, through
 * the incubating Vector API of JDK 17, which C2 compiles to AVX2: about four times the scalar
 * {@link ChaCha20} per CPU-second. Lane {@code j} of state word {@code w} belongs to block
 * {@code counter + j}; the sixteen words of keystream are stored word by word and read back block by
 * block as they are XORed into the output.
 *
 * <p>Only touched when the JVM runs with {@code --add-modules jdk.incubator.vector} (see
 * {@link ChaCha20}); without it this class is never loaded.
 */
final class ChaCha20Lanes {

    static final int LANES = 8;
    /** Bytes of keystream per call of the rounds: eight blocks. */
    static final int CHUNK = LANES * ChaCha20.BLOCK_LENGTH;

    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_256;
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int[] LANE_INDEX = {0, 1, 2, 3, 4, 5, 6, 7};

    private ChaCha20Lanes() {
    }

    /** Whether this CPU runs 256-bit int vectors natively; emulated lanes would be far slower than scalar code. */
    static boolean native256() {
        return IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    /**
     * XORs the whole chunks of eight blocks in {@code length} bytes, keystream from block
     * {@code counter} on, like {@link ChaCha20#xor}; the caller has checked bounds and counter range.
     *
     * @param key the eight key words
     * @return the bytes done, a multiple of {@link #CHUNK}
     */
    static int xorChunks(int[] key, int counter, int n0, int n1, int n2,
                         byte[] in, int inOff, byte[] out, int outOff, int length) {
        int[] ks = new int[16 * LANES];
        IntVector lane = IntVector.fromArray(SPECIES, LANE_INDEX, 0);
        int done = 0;
        while (length - done >= CHUNK) {
            IntVector x0 = IntVector.broadcast(SPECIES, ChaCha20.C0);
            IntVector x1 = IntVector.broadcast(SPECIES, ChaCha20.C1);
            IntVector x2 = IntVector.broadcast(SPECIES, ChaCha20.C2);
            IntVector x3 = IntVector.broadcast(SPECIES, ChaCha20.C3);
            IntVector x4 = IntVector.broadcast(SPECIES, key[0]);
            IntVector x5 = IntVector.broadcast(SPECIES, key[1]);
            IntVector x6 = IntVector.broadcast(SPECIES, key[2]);
            IntVector x7 = IntVector.broadcast(SPECIES, key[3]);
            IntVector x8 = IntVector.broadcast(SPECIES, key[4]);
            IntVector x9 = IntVector.broadcast(SPECIES, key[5]);
            IntVector x10 = IntVector.broadcast(SPECIES, key[6]);
            IntVector x11 = IntVector.broadcast(SPECIES, key[7]);
            IntVector counters = lane.add(counter);
            IntVector x12 = counters;
            IntVector x13 = IntVector.broadcast(SPECIES, n0);
            IntVector x14 = IntVector.broadcast(SPECIES, n1);
            IntVector x15 = IntVector.broadcast(SPECIES, n2);
            for (int i = 0; i < 10; i++) {
                x0 = x0.add(x4); x12 = x12.lanewise(XOR, x0).lanewise(ROL, 16); x8 = x8.add(x12); x4 = x4.lanewise(XOR, x8).lanewise(ROL, 12);
                x0 = x0.add(x4); x12 = x12.lanewise(XOR, x0).lanewise(ROL, 8); x8 = x8.add(x12); x4 = x4.lanewise(XOR, x8).lanewise(ROL, 7);
                x1 = x1.add(x5); x13 = x13.lanewise(XOR, x1).lanewise(ROL, 16); x9 = x9.add(x13); x5 = x5.lanewise(XOR, x9).lanewise(ROL, 12);
                x1 = x1.add(x5); x13 = x13.lanewise(XOR, x1).lanewise(ROL, 8); x9 = x9.add(x13); x5 = x5.lanewise(XOR, x9).lanewise(ROL, 7);
                x2 = x2.add(x6); x14 = x14.lanewise(XOR, x2).lanewise(ROL, 16); x10 = x10.add(x14); x6 = x6.lanewise(XOR, x10).lanewise(ROL, 12);
                x2 = x2.add(x6); x14 = x14.lanewise(XOR, x2).lanewise(ROL, 8); x10 = x10.add(x14); x6 = x6.lanewise(XOR, x10).lanewise(ROL, 7);
                x3 = x3.add(x7); x15 = x15.lanewise(XOR, x3).lanewise(ROL, 16); x11 = x11.add(x15); x7 = x7.lanewise(XOR, x11).lanewise(ROL, 12);
                x3 = x3.add(x7); x15 = x15.lanewise(XOR, x3).lanewise(ROL, 8); x11 = x11.add(x15); x7 = x7.lanewise(XOR, x11).lanewise(ROL, 7);
                x0 = x0.add(x5); x15 = x15.lanewise(XOR, x0).lanewise(ROL, 16); x10 = x10.add(x15); x5 = x5.lanewise(XOR, x10).lanewise(ROL, 12);
                x0 = x0.add(x5); x15 = x15.lanewise(XOR, x0).lanewise(ROL, 8); x10 = x10.add(x15); x5 = x5.lanewise(XOR, x10).lanewise(ROL, 7);
                x1 = x1.add(x6); x12 = x12.lanewise(XOR, x1).lanewise(ROL, 16); x11 = x11.add(x12); x6 = x6.lanewise(XOR, x11).lanewise(ROL, 12);
                x1 = x1.add(x6); x12 = x12.lanewise(XOR, x1).lanewise(ROL, 8); x11 = x11.add(x12); x6 = x6.lanewise(XOR, x11).lanewise(ROL, 7);
                x2 = x2.add(x7); x13 = x13.lanewise(XOR, x2).lanewise(ROL, 16); x8 = x8.add(x13); x7 = x7.lanewise(XOR, x8).lanewise(ROL, 12);
                x2 = x2.add(x7); x13 = x13.lanewise(XOR, x2).lanewise(ROL, 8); x8 = x8.add(x13); x7 = x7.lanewise(XOR, x8).lanewise(ROL, 7);
                x3 = x3.add(x4); x14 = x14.lanewise(XOR, x3).lanewise(ROL, 16); x9 = x9.add(x14); x4 = x4.lanewise(XOR, x9).lanewise(ROL, 12);
                x3 = x3.add(x4); x14 = x14.lanewise(XOR, x3).lanewise(ROL, 8); x9 = x9.add(x14); x4 = x4.lanewise(XOR, x9).lanewise(ROL, 7);
            }
            x0.add(ChaCha20.C0).intoArray(ks, 0);
            x1.add(ChaCha20.C1).intoArray(ks, 8);
            x2.add(ChaCha20.C2).intoArray(ks, 16);
            x3.add(ChaCha20.C3).intoArray(ks, 24);
            x4.add(key[0]).intoArray(ks, 32);
            x5.add(key[1]).intoArray(ks, 40);
            x6.add(key[2]).intoArray(ks, 48);
            x7.add(key[3]).intoArray(ks, 56);
            x8.add(key[4]).intoArray(ks, 64);
            x9.add(key[5]).intoArray(ks, 72);
            x10.add(key[6]).intoArray(ks, 80);
            x11.add(key[7]).intoArray(ks, 88);
            x12.add(counters).intoArray(ks, 96);
            x13.add(n0).intoArray(ks, 104);
            x14.add(n1).intoArray(ks, 112);
            x15.add(n2).intoArray(ks, 120);
            for (int j = 0; j < LANES; j++) {
                int i = inOff + done + j * ChaCha20.BLOCK_LENGTH;
                int o = outOff + done + j * ChaCha20.BLOCK_LENGTH;
                for (int w = 0; w < 16; w += 2) {
                    long k = (ks[w * LANES + j] & 0xffffffffL) | ((long) ks[(w + 1) * LANES + j] << 32);
                    LE_LONG.set(out, o + w * 4, (long) LE_LONG.get(in, i + w * 4) ^ k);
                }
            }
            done += CHUNK;
            counter += LANES;
        }
        return done;
    }
}
