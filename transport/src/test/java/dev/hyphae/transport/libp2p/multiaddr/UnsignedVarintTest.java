package dev.hyphae.transport.libp2p.multiaddr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnsignedVarintTest {

    @Test
    void encodesSpecExamples() {
        // examples from the multiformats unsigned-varint README
        assertArrayEquals(new byte[] {0x01}, UnsignedVarint.encode(1));
        assertArrayEquals(new byte[] {0x7f}, UnsignedVarint.encode(127));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, UnsignedVarint.encode(128));
        assertArrayEquals(new byte[] {(byte) 0xff, 0x01}, UnsignedVarint.encode(255));
        assertArrayEquals(new byte[] {(byte) 0xac, 0x02}, UnsignedVarint.encode(300));
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0x80, 0x01}, UnsignedVarint.encode(16384));
    }

    @Test
    void roundTripsUpToTwoToTheSixtyThreeMinusOne() {
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong() >>> random.nextInt(64);
            if (v < 0) {
                v >>>= 1;
            }
            byte[] bytes = UnsignedVarint.encode(v);
            assertEquals(UnsignedVarint.encodedLength(v), bytes.length);
            assertEquals(new UnsignedVarint.Decoded(v, bytes.length), UnsignedVarint.decode(bytes, 0));
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            assertEquals(bytes.length, UnsignedVarint.completeLength(buf));
            assertEquals(v, UnsignedVarint.read(buf));
            buf.release();
        }
        assertEquals(9, UnsignedVarint.encode(Long.MAX_VALUE).length);
    }

    @Test
    void rejectsNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> UnsignedVarint.encode(-1));
    }

    @Test
    void rejectsNonMinimalEncoding() {
        assertThrows(InvalidVarintException.class, () -> UnsignedVarint.decode(new byte[] {(byte) 0x81, 0x00}, 0));
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x00});
        assertThrows(InvalidVarintException.class, () -> UnsignedVarint.completeLength(buf));
        buf.release();
    }

    @Test
    void rejectsMoreThanNineBytes() {
        byte[] ten = new byte[10];
        java.util.Arrays.fill(ten, (byte) 0x80);
        ten[9] = 1;
        assertThrows(InvalidVarintException.class, () -> UnsignedVarint.decode(ten, 0));
    }

    @Test
    void reportsIncompleteInputAsZeroLengthWithoutConsuming() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80});
        assertEquals(0, UnsignedVarint.completeLength(buf));
        assertEquals(0, buf.readerIndex());
        assertThrows(InvalidVarintException.class, () -> UnsignedVarint.read(buf));
        assertThrows(InvalidVarintException.class, () -> UnsignedVarint.decode(new byte[] {(byte) 0x80}, 0));
        buf.release();
    }

    @Test
    void randomInputEitherDecodesMinimallyOrThrowsTheVarintException() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            try {
                UnsignedVarint.Decoded d = UnsignedVarint.decode(bytes, 0);
                assertArrayEquals(java.util.Arrays.copyOf(bytes, d.length()), UnsignedVarint.encode(d.value()));
            } catch (InvalidVarintException expected) {
                // a clear rejection is the only other allowed outcome
            }
        }
    }
}
