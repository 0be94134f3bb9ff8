package dev.hyphae.transport.libp2p.identify;

import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Sends one identify message, uvarint-framed, and half-closes the stream: the responder of
 * {@code /ipfs/id/1.0.0} and the sender of {@code /ipfs/id/push/1.0.0}. The half-close matters:
 * js reads until EOF, so without it every identify would wait for js's timeout. The stream is
 * closed once the remote has closed its side too. One instance per stream.
 */
public final class IdentifyWriter extends ChannelInboundHandlerAdapter {
    private final byte[] message;
    private boolean sent;

    /** @throws IllegalArgumentException if the message exceeds the 8 KiB limit peers enforce */
    public IdentifyWriter(IdentifyMessage message) {
        this.message = message.toProtobuf();
        if (this.message.length > IdentifyProtocol.MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("identify message of " + this.message.length
                    + " bytes exceeds " + IdentifyProtocol.MAX_MESSAGE_SIZE);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            send(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx);
        ctx.fireChannelActive();
    }

    private void send(ChannelHandlerContext ctx) {
        if (sent) {
            return;
        }
        sent = true;
        ByteBuf out = ctx.alloc().buffer(UnsignedVarint.encodedLength(message.length) + message.length);
        UnsignedVarint.write(message.length, out);
        out.writeBytes(message);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (ctx.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The remote has nothing to say on this stream.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
