package dev.hyphae.transport.libp2p.multiaddr;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/**
 * The multiformats unsigned varint: 7 bits per byte, least significant group first, high bit set on
 * every byte but the last. The spec caps it at 9 bytes (63 bits) and requires the minimal encoding.
 */
public final class UnsignedVarint {

    /** The longest encoding the multiformats spec allows. */
    public static final int MAX_BYTES = 9;

    private UnsignedVarint() {
    }

    /** Encodes a value in [0, 2^63). */
    public static byte[] encode(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
        write(value, out);
        return out.toByteArray();
    }

    /** Appends the encoding of a value in [0, 2^63) to {@code out}. */
    public static void write(long value, ByteArrayOutputStream out) {
        requireEncodable(value);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Writes the encoding of a value in [0, 2^63) into {@code out}. */
    public static void write(long value, ByteBuf out) {
        requireEncodable(value);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** The number of bytes {@link #encode} produces for {@code value}. */
    public static int encodedLength(long value) {
        requireEncodable(value);
        int n = 1;
        long v = value >>> 7;
        while (v != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /**
     * Decodes one varint at {@code offset} in {@code bytes}.
     *
     * @throws InvalidVarintException if the input ends early, is longer than 9 bytes or not minimal
     */
    public static Decoded decode(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int at = offset + i;
            if (at >= bytes.length) {
                throw new InvalidVarintException("varint truncated after " + i + " bytes");
            }
            int b = bytes[at] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new InvalidVarintException("varint is not minimally encoded");
                }
                return new Decoded(value, i + 1);
            }
        }
        throw new InvalidVarintException("varint longer than " + MAX_BYTES + " bytes");
    }

    /**
     * Tells how many bytes the varint at the reader index of {@code in} takes, without consuming
     * anything; 0 when more bytes must arrive first.
     *
     * @throws InvalidVarintException if the bytes present can never form a valid varint
     */
    public static int completeLength(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        for (int i = 0; i < MAX_BYTES; i++) {
            if (i >= available) {
                return 0;
            }
            int b = in.getUnsignedByte(start + i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new InvalidVarintException("varint is not minimally encoded");
                }
                return i + 1;
            }
        }
        throw new InvalidVarintException("varint longer than " + MAX_BYTES + " bytes");
    }

    /**
     * Reads one complete varint from {@code in}; call {@link #completeLength} first when the input
     * may be partial.
     *
     * @throws InvalidVarintException if the bytes are not a complete, valid varint
     */
    public static long read(ByteBuf in) {
        int length = completeLength(in);
        if (length == 0) {
            throw new InvalidVarintException("varint truncated after " + in.readableBytes() + " bytes");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (long) (in.readUnsignedByte() & 0x7F) << (7 * i);
        }
        return value;
    }

    private static void requireEncodable(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("unsigned varint cannot encode " + value + " (max 2^63-1)");
        }
    }

    /** A decoded value and how many bytes its encoding took. */
    public record Decoded(long value, int length) {
    }
}
