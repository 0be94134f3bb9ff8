package dev.hyphae.transport.libp2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NoiseTransportCodecTest {

    private final Random random = new Random(5);
    private final byte[] aToB = key(1);
    private final byte[] bToA = key(2);
    private final EmbeddedChannel a = new EmbeddedChannel(new NoiseTransportCodec(ciphers(aToB, bToA)));
    private final EmbeddedChannel b = new EmbeddedChannel(new NoiseTransportCodec(ciphers(bToA, aToB)));

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private static HandshakeState.TransportCiphers ciphers(byte[] send, byte[] receive) {
        CipherState sender = new CipherState();
        sender.initializeKey(send);
        CipherState receiver = new CipherState();
        receiver.initializeKey(receive);
        return new HandshakeState.TransportCiphers(sender, receiver);
    }

    @Test
    void writesUpToAFlushAreSealedIntoOneTransportMessage() {
        ChannelFuture header = a.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ChannelFuture body = a.write(Unpooled.wrappedBuffer(new byte[] {4, 5}));
        assertNull(a.readOutbound(), "nothing leaves before the flush");
        assertFalse(header.isDone());
        a.flush();
        assertTrue(header.isSuccess());
        assertTrue(body.isSuccess());

        ByteBuf message = a.readOutbound();
        assertNull(a.readOutbound());
        assertEquals(2 + 5 + CipherState.TAG_LENGTH, message.readableBytes());
        assertEquals(5 + CipherState.TAG_LENGTH, message.getUnsignedShort(0));
        b.writeInbound(message);
        ByteBuf plaintext = b.readInbound();
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, ByteBufUtil.getBytes(plaintext));
        plaintext.release();
        assertFalse(a.finishAndReleaseAll());
        assertFalse(b.finishAndReleaseAll());
    }

    @Test
    void aLargeWriteFillsWholeMessagesAndArrivesIntact() {
        byte[] big = new byte[NoiseTransportCodec.MAX_PLAINTEXT * 2 + 5];
        random.nextBytes(big);
        a.write(Unpooled.wrappedBuffer(new byte[] {9}));
        ChannelFuture write = a.writeAndFlush(Unpooled.wrappedBuffer(big));
        assertTrue(write.isSuccess());

        int[] lengths = new int[3];
        for (int i = 0; i < 3; i++) {
            ByteBuf message = a.readOutbound();
            lengths[i] = message.getUnsignedShort(0);
            b.writeInbound(message);
        }
        assertNull(a.readOutbound());
        int full = NoiseTransportCodec.MAX_PLAINTEXT + CipherState.TAG_LENGTH;
        assertArrayEquals(new int[] {full, full, 6 + CipherState.TAG_LENGTH}, lengths);

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (ByteBuf part; (part = b.readInbound()) != null; ) {
            received.writeBytes(ByteBufUtil.getBytes(part));
            part.release();
        }
        byte[] expected = new byte[big.length + 1];
        expected[0] = 9;
        System.arraycopy(big, 0, expected, 1, big.length);
        assertArrayEquals(expected, received.toByteArray());
        assertFalse(a.finishAndReleaseAll());
        assertFalse(b.finishAndReleaseAll());
    }

    @Test
    void closingFailsWritesThatWereNeverFlushed() {
        ChannelFuture pending = a.write(Unpooled.wrappedBuffer(new byte[] {1}));
        a.close();
        assertTrue(pending.isDone());
        assertFalse(pending.isSuccess());
        assertNull(a.readOutbound());
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void aTamperedMessageClosesTheConnectionAndDeliversNothing() {
        a.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ByteBuf message = a.readOutbound();
        message.setByte(4, message.getByte(4) ^ 1);
        b.writeInbound(message);
        assertNull(b.readInbound());
        assertFalse(b.isOpen());
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void anIdleConnectionHoldsNoBufferOnceItsWritesAreFlushedAndItsMessagesRead() {
        UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);
        a.config().setAllocator(allocator);
        b.config().setAllocator(allocator);
        byte[] big = new byte[NoiseTransportCodec.MAX_PLAINTEXT + 100];
        random.nextBytes(big);
        a.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        a.writeAndFlush(Unpooled.wrappedBuffer(big));
        for (ByteBuf message; (message = a.readOutbound()) != null; ) {
            // A direct buffer, as a socket read gives, makes the receiver copy the ciphertext.
            ByteBuf direct = Unpooled.directBuffer(message.readableBytes()).writeBytes(message);
            message.release();
            b.writeInbound(direct);
        }
        for (ByteBuf part; (part = b.readInbound()) != null; ) {
            part.release();
        }
        assertEquals(0, allocator.metric().usedHeapMemory(), "heap borrowed by the idle codecs");
        assertFalse(a.finishAndReleaseAll());
        assertFalse(b.finishAndReleaseAll());
    }
}
