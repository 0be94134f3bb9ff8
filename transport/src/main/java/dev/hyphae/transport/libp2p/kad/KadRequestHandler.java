package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The client end of one DHT request stream, after a {@link KadFrameDecoder}: completes
 * {@link #response()} with the first message and closes the stream, as js does. Anything else
 * (bad input, end of stream, a reset) fails the response and closes the stream.
 */
public final class KadRequestHandler extends ChannelInboundHandlerAdapter {

    private final CompletableFuture<Message> response = new CompletableFuture<>();

    public CompletableFuture<Message> response() {
        return response;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Message m) {
            response.complete(m);
            ctx.close();
        } else if (msg instanceof KadProtocolException e) {
            fail(ctx, e);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            fail(ctx, new IOException("stream ended without a response"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        response.completeExceptionally(new IOException("stream closed without a response"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        response.completeExceptionally(new IOException("request handler removed"));
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        response.completeExceptionally(cause);
        ctx.close();
    }
}
