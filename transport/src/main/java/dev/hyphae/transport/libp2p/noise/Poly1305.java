package dev.hyphae.transport.libp2p.noise;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The Poly1305 one-time authenticator of RFC 8439 section 2.5, with a 32-byte one-time key.
 *
 * <p>The accumulator and {@code r} are held as five 26-bit limbs in longs, so every product of a
 * block step fits a 64-bit multiply without carries in between, and full 16-byte blocks are absorbed
 * in one tight loop over the caller's array. Not thread-safe; {@link #init} starts a new MAC.
 */
final class Poly1305 {

    static final int KEY_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    private static final int BLOCK = 16;
    private static final long MASK26 = 0x3ffffff;

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private long r0, r1, r2, r3, r4;
    private long h0, h1, h2, h3, h4;
    private int pad0, pad1, pad2, pad3;
    /** Bytes that do not yet fill a block. */
    private final byte[] buffer = new byte[BLOCK];
    private int buffered;
    private boolean keyed;

    /** Starts a MAC with the one-time key at {@code key[offset..offset+32)}. */
    void init(byte[] key, int offset) {
        Objects.checkFromIndexSize(offset, KEY_LENGTH, key.length);
        long t0 = (int) LE_INT.get(key, offset) & 0xffffffffL;
        long t1 = (int) LE_INT.get(key, offset + 4) & 0xffffffffL;
        long t2 = (int) LE_INT.get(key, offset + 8) & 0xffffffffL;
        long t3 = (int) LE_INT.get(key, offset + 12) & 0xffffffffL;
        // r is clamped (section 2.5.1) while it is split into limbs
        r0 = t0 & 0x3ffffff;
        r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
        r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
        r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
        r4 = (t3 >>> 8) & 0x00fffff;
        pad0 = (int) LE_INT.get(key, offset + 16);
        pad1 = (int) LE_INT.get(key, offset + 20);
        pad2 = (int) LE_INT.get(key, offset + 24);
        pad3 = (int) LE_INT.get(key, offset + 28);
        h0 = h1 = h2 = h3 = h4 = 0;
        buffered = 0;
        keyed = true;
    }

    /** Absorbs {@code length} bytes of the message. */
    void update(byte[] m, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, m.length);
        requireKey();
        if (buffered > 0) {
            int n = Math.min(length, BLOCK - buffered);
            System.arraycopy(m, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
            if (buffered < BLOCK) {
                return;
            }
            blocks(buffer, 0, 1, 1L << 24);
            buffered = 0;
        }
        int full = length / BLOCK;
        if (full > 0) {
            blocks(m, offset, full, 1L << 24);
            offset += full * BLOCK;
            length -= full * BLOCK;
        }
        if (length > 0) {
            System.arraycopy(m, offset, buffer, 0, length);
            buffered = length;
        }
    }

    /**
     * Zero-pads the message absorbed so far to a whole number of blocks: the {@code pad16} of the
     * AEAD construction (RFC 8439 section 2.8), where the padding is part of the authenticated data.
     */
    void padToBlock() {
        requireKey();
        if (buffered > 0) {
            java.util.Arrays.fill(buffer, buffered, BLOCK, (byte) 0);
            blocks(buffer, 0, 1, 1L << 24);
            buffered = 0;
        }
    }

    /** Writes the 16-byte tag; the instance needs {@link #init} before the next use. */
    void finish(byte[] tag, int offset) {
        Objects.checkFromIndexSize(offset, TAG_LENGTH, tag.length);
        requireKey();
        if (buffered > 0) {
            // a final partial block gets a 1 byte appended instead of the 2^128 bit
            buffer[buffered] = 1;
            java.util.Arrays.fill(buffer, buffered + 1, BLOCK, (byte) 0);
            blocks(buffer, 0, 1, 0);
            buffered = 0;
        }
        long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
        long c;
        // carry fully
        c = h1 >>> 26; h1 &= MASK26; h2 += c;
        c = h2 >>> 26; h2 &= MASK26; h3 += c;
        c = h3 >>> 26; h3 &= MASK26; h4 += c;
        c = h4 >>> 26; h4 &= MASK26; h0 += c * 5;
        c = h0 >>> 26; h0 &= MASK26; h1 += c;
        // g = h + 5 - 2^130; if g does not go negative, h >= p and g is h mod p
        long g0 = h0 + 5; c = g0 >>> 26; g0 &= MASK26;
        long g1 = h1 + c; c = g1 >>> 26; g1 &= MASK26;
        long g2 = h2 + c; c = g2 >>> 26; g2 &= MASK26;
        long g3 = h3 + c; c = g3 >>> 26; g3 &= MASK26;
        long g4 = h4 + c - (1L << 26);
        long useG = ~(g4 >> 63); // all ones when g4 >= 0, without a branch
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        h3 = (h3 & ~useG) | (g3 & useG);
        h4 = (h4 & ~useG) | (g4 & useG & MASK26);
        // to 4 x 32 bits, then add s mod 2^128
        long w0 = (h0 | (h1 << 26)) & 0xffffffffL;
        long w1 = ((h1 >>> 6) | (h2 << 20)) & 0xffffffffL;
        long w2 = ((h2 >>> 12) | (h3 << 14)) & 0xffffffffL;
        long w3 = ((h3 >>> 18) | (h4 << 8)) & 0xffffffffL;
        long f = w0 + (pad0 & 0xffffffffL);
        LE_INT.set(tag, offset, (int) f);
        f = w1 + (pad1 & 0xffffffffL) + (f >>> 32);
        LE_INT.set(tag, offset + 4, (int) f);
        f = w2 + (pad2 & 0xffffffffL) + (f >>> 32);
        LE_INT.set(tag, offset + 8, (int) f);
        f = w3 + (pad3 & 0xffffffffL) + (f >>> 32);
        LE_INT.set(tag, offset + 12, (int) f);
        this.h0 = this.h1 = this.h2 = this.h3 = this.h4 = 0;
        keyed = false;
    }

    /** h = (h + block + hibit * 2^128) * r mod 2^130-5, for {@code count} blocks. */
    private void blocks(byte[] m, int offset, int count, long hibit) {
        final long r0 = this.r0, r1 = this.r1, r2 = this.r2, r3 = this.r3, r4 = this.r4;
        final long s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
        long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
        for (int i = 0; i < count; i++, offset += BLOCK) {
            long t0 = (int) LE_INT.get(m, offset) & 0xffffffffL;
            long t1 = (int) LE_INT.get(m, offset + 4) & 0xffffffffL;
            long t2 = (int) LE_INT.get(m, offset + 8) & 0xffffffffL;
            long t3 = (int) LE_INT.get(m, offset + 12) & 0xffffffffL;
            h0 += t0 & MASK26;
            h1 += ((t0 >>> 26) | (t1 << 6)) & MASK26;
            h2 += ((t1 >>> 20) | (t2 << 12)) & MASK26;
            h3 += ((t2 >>> 14) | (t3 << 18)) & MASK26;
            h4 += (t3 >>> 8) | hibit;

            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

            long c = d0 >>> 26; h0 = d0 & MASK26;
            d1 += c; c = d1 >>> 26; h1 = d1 & MASK26;
            d2 += c; c = d2 >>> 26; h2 = d2 & MASK26;
            d3 += c; c = d3 >>> 26; h3 = d3 & MASK26;
            d4 += c; c = d4 >>> 26; h4 = d4 & MASK26;
            h0 += c * 5; c = h0 >>> 26; h0 &= MASK26;
            h1 += c;
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
        this.h3 = h3;
        this.h4 = h4;
    }

    private void requireKey() {
        if (!keyed) {
            throw new IllegalStateException("Poly1305 needs a one-time key (init) first");
        }
    }
}
