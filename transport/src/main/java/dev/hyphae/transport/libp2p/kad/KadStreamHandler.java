package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one inbound DHT stream, after a {@link KadFrameDecoder}: answers each request in turn
 * (the spec lets a client send several on one stream), and closes the stream when the remote has
 * finished, has been idle for the timeout, or sent something invalid. One instance per stream.
 */
public final class KadStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KadStreamHandler.class);

    private final KadServer server;
    private final PeerId remote;
    private final Duration idleTimeout;
    private ScheduledFuture<?> idle;
    private ChannelFuture lastWrite;

    public KadStreamHandler(KadServer server, PeerId remote, Duration idleTimeout) {
        this.server = server;
        this.remote = remote;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        restartIdleTimer(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof KadProtocolException e) {
            end(ctx, "bad input: " + e.getMessage());
        } else if (msg instanceof Message request) {
            restartIdleTimer(ctx);
            try {
                Optional<Message> response = server.handle(remote, request);
                if (response.isPresent()) {
                    lastWrite = ctx.writeAndFlush(KadMessages.frame(ctx.alloc(), response.get()));
                    lastWrite.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                }
            } catch (KadProtocolException e) {
                end(ctx, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("DHT request {} from {} failed", request.getType(), remote, e);
                end(ctx, "internal error");
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            // the remote has sent its last request: close once our answers are out
            if (lastWrite == null) {
                ctx.close();
            } else {
                lastWrite.addListener(f -> ctx.close());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(ctx, "stream failed: " + cause.getMessage());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelIdleTimer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdleTimer();
        ctx.fireChannelInactive();
    }

    private void end(ChannelHandlerContext ctx, String reason) {
        LOG.debug("closing DHT stream from {}: {}", remote, reason);
        cancelIdleTimer();
        ctx.close();
    }

    private void restartIdleTimer(ChannelHandlerContext ctx) {
        cancelIdleTimer();
        idle = ctx.executor().schedule(() -> end(ctx, "idle for " + idleTimeout),
            idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelIdleTimer() {
        if (idle != null) {
            idle.cancel(false);
            idle = null;
        }
    }
}
