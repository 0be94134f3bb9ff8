package dev.hyphae.transport.libp2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Writes {@link YamuxFrame}s as a 12-byte big-endian header followed by the payload, without copying it. */
@ChannelHandler.Sharable
public final class YamuxFrameEncoder extends MessageToMessageEncoder<YamuxFrame> {

    public YamuxFrameEncoder() {
        super(YamuxFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, YamuxFrame frame, List<Object> out) {
        ByteBuf header = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
        header.writeByte(YamuxFrame.VERSION);
        header.writeByte(frame.type().code());
        header.writeShort(frame.flags());
        header.writeInt(frame.streamId());
        header.writeInt((int) frame.length());
        out.add(header);
        if (frame.content().isReadable()) {
            out.add(frame.content().retain());
        }
    }
}
