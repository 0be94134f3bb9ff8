package dev.hyphae.transport.libp2p.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends a server stream whose request has not fully arrived in time, so a silent or slow peer
 * cannot hold streams open. Removes itself once the whole request is read; handlers that take
 * long to answer are not limited here.
 */
final class RequestDeadline extends ChannelDuplexHandler {
    private final Duration timeout;
    private ScheduledFuture<?> expiry;

    RequestDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        expiry = ctx.executor().schedule(() -> {
            ctx.channel().close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
