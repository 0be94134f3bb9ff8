package dev.hyphae.transport.libp2p.ping;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The listening side of {@code /ipfs/ping/1.0.0}: echoes every 32-byte payload, also those that
 * arrive together with the remote's half-close (js writes one payload and closes its side at once),
 * then half-closes its own side. One instance per stream.
 */
public final class PingResponder extends ByteToMessageDecoder {
    private boolean finished;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= PingProtocol.PAYLOAD_LENGTH) {
            ctx.write(in.readRetainedSlice(PingProtocol.PAYLOAD_LENGTH));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
        super.channelReadComplete(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        super.userEventTriggered(ctx, evt);
        if (evt == ChannelInputShutdownEvent.INSTANCE && !finished) {
            finished = true;
            ctx.flush();
            if (ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
