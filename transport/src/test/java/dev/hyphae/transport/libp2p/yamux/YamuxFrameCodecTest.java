package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.NoLeaks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class YamuxFrameCodecTest {
    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel encoder = channel(new YamuxFrameEncoder());
    private final EmbeddedChannel decoder = channel(new YamuxFrameDecoder(1024));

    private EmbeddedChannel channel(io.netty.channel.ChannelHandler handler) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(handler);
        return ch;
    }

    @AfterEach
    void noLeaks() {
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    private byte[] encode(YamuxFrame frame) {
        encoder.writeOutbound(frame);
        CompositeByteBuf all = alloc.compositeBuffer();
        ByteBuf part;
        while ((part = encoder.readOutbound()) != null) {
            all.addComponent(true, part);
        }
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }

    @Test
    void headerIsTwelveBigEndianBytesAsInTheSpec() {
        byte[] bytes = encode(YamuxFrame.windowUpdate(YamuxFlags.SYN | YamuxFlags.FIN, 0x01020304, 0x0A0B0C0D));
        assertArrayEquals(new byte[] {0, 1, 0, 5, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D}, bytes);
    }

    @Test
    void dataFrameLengthIsThePayloadSize() {
        ByteBuf payload = alloc.buffer().writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = encode(YamuxFrame.data(0, 3, payload));
        assertEquals(12 + 5, bytes.length);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 5}, java.util.Arrays.copyOf(bytes, 12));
    }

    @Test
    void everyTypeRoundTripsThroughDecoderEvenWhenSplitIntoSingleBytes() {
        ByteBuf payload = alloc.buffer().writeBytes(new byte[] {9, 8, 7});
        YamuxFrame[] frames = {
            YamuxFrame.data(YamuxFlags.ACK, 7, payload),
            YamuxFrame.windowUpdate(YamuxFlags.RST, 0xFFFF_FFFF, 0xFFFF_FFFFL),
            YamuxFrame.ping(YamuxFlags.SYN, 42),
            YamuxFrame.goAway(GoAwayCode.INTERNAL_ERROR),
        };
        for (YamuxFrame original : frames) {
            String expected = original.toString();
            byte[] wire = encode(original);
            for (byte b : wire) {
                decoder.writeInbound(alloc.buffer(1).writeByte(b));
            }
            YamuxFrame decoded = decoder.readInbound();
            assertEquals(expected, decoded.toString());
            if (decoded.type() == YamuxType.DATA) {
                assertArrayEquals(new byte[] {9, 8, 7}, ByteBufUtil.getBytes(decoded.content()));
            }
            decoded.release();
            assertNull(decoder.readInbound());
        }
    }

    @Test
    void unknownVersionIsAProtocolErrorAndLaterInputIsIgnored() {
        byte[] bad = {1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7};
        YamuxProtocolException e = assertThrows(YamuxProtocolException.class,
                () -> decoder.writeInbound(alloc.buffer().writeBytes(bad)));
        assertEquals(GoAwayCode.PROTOCOL_ERROR, e.code());
        byte[] good = {0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7};
        decoder.writeInbound(alloc.buffer().writeBytes(good));
        assertNull(decoder.readInbound());
    }

    @Test
    void unknownTypeIsAProtocolError() {
        byte[] bad = {0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThrows(YamuxProtocolException.class, () -> decoder.writeInbound(alloc.buffer().writeBytes(bad)));
    }

    @Test
    void dataFrameLargerThanTheLimitIsRejectedBeforeBuffering() {
        byte[] bad = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 4, 1};
        YamuxProtocolException e = assertThrows(YamuxProtocolException.class,
                () -> decoder.writeInbound(alloc.buffer().writeBytes(bad)));
        assertEquals("data frame of 1025 bytes exceeds the limit of 1024", e.getMessage());
    }
}
