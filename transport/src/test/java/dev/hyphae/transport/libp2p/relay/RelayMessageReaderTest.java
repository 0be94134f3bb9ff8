package dev.hyphae.transport.libp2p.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.HopMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayMessageReaderTest {

    private final List<HopMessage> messages = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    private void install() {
        channel.pipeline().addLast("reader", new RelayMessageReader<>(HopMessage::parseFrom,
            new RelayMessageReader.Handler<>() {
                @Override
                public void onMessage(ChannelHandlerContext ctx, HopMessage message) {
                    messages.add(message);
                    ctx.pipeline().addAfter(ctx.name(), "next", new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext c, Object msg) {
                            c.fireChannelRead(msg);
                        }
                    });
                }

                @Override
                public void onFailure(ChannelHandlerContext ctx, String reason, boolean malformed) {
                    failures.add((malformed ? "malformed: " : "ended: ") + reason);
                }
            }, Duration.ofSeconds(10)));
    }

    private static ByteBuf framed(HopMessage m) {
        return RelayProtocol.frame(Unpooled.buffer().alloc(), m);
    }

    @Test
    void oneMessageIsReadAndTheBytesAfterItGoOn() {
        install();
        HopMessage reserve = HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build();
        ByteBuf in = Unpooled.wrappedBuffer(framed(reserve), Unpooled.wrappedBuffer(new byte[] {7, 8, 9}));

        channel.writeInbound(in);

        assertEquals(List.of(reserve), messages);
        assertTrue(channel.pipeline().get("reader") == null, "reader stepped aside");
        ByteBuf rest = channel.readInbound();
        assertEquals("070809", ByteBufUtil.hexDump(rest));
        rest.release();
        assertTrue(failures.isEmpty());
    }

    @Test
    void messageSplitAcrossReadsIsAssembled() {
        install();
        ByteBuf whole = framed(HopMessage.newBuilder().setType(HopMessage.Type.CONNECT).build());

        channel.writeInbound(whole.readRetainedSlice(1));
        assertTrue(messages.isEmpty());
        channel.writeInbound(whole);

        assertEquals(HopMessage.Type.CONNECT, messages.get(0).getType());
    }

    @Test
    void oversizedMessageIsMalformed() {
        install();
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(new byte[] {(byte) 0x81, 0x20}); // 4097

        channel.writeInbound(in);

        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith("malformed: message of 4097 bytes"), failures.get(0));
        assertTrue(messages.isEmpty());
    }

    @Test
    void unparsableMessageIsMalformed() {
        install();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff}));

        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith("malformed"), failures.get(0));
    }

    @Test
    void endOfStreamBeforeTheMessageIsAFailureButNotMalformed() {
        install();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {5, 8}));

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertEquals(List.of("ended: stream ended before the message"), failures);
    }
}
