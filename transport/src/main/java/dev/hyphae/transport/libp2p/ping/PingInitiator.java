package dev.hyphae.transport.libp2p.ping;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The dialling side of {@code /ipfs/ping/1.0.0}: once the stream is active, sends 32 random bytes,
 * waits for the same 32 bytes back and completes {@link #result()} with the round-trip time. Then
 * closes the stream. Fails on a wrong echo, an early end of stream or the timeout. One ping per instance.
 */
public final class PingInitiator extends ChannelInboundHandlerAdapter {
    private final Random random;
    private final LongSupplier nanoClock;
    private final Duration timeout;
    private final CompletableFuture<Duration> result = new CompletableFuture<>();

    private byte[] payload;
    private ByteBuf echo;
    private long sentAt;
    private ScheduledFuture<?> timer;

    /**
     * @param random source of the payload; use a {@link java.security.SecureRandom} outside tests
     */
    public PingInitiator(Random random, LongSupplier nanoClock, Duration timeout) {
        this.random = random;
        this.nanoClock = nanoClock;
        this.timeout = timeout;
    }

    /** Completes with the round-trip time, or exceptionally with an {@link IOException}. */
    public CompletableFuture<Duration> result() {
        return result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        echo = ctx.alloc().buffer(PingProtocol.PAYLOAD_LENGTH);
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (payload != null) {
            return;
        }
        payload = new byte[PingProtocol.PAYLOAD_LENGTH];
        random.nextBytes(payload);
        timer = ctx.executor().schedule(() -> fail(ctx, "no echo within " + timeout),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        sentAt = nanoClock.getAsLong();
        ctx.writeAndFlush(ctx.alloc().buffer(payload.length).writeBytes(payload));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            fail(ctx, "unexpected message " + msg.getClass().getName());
            return;
        }
        try {
            if (result.isDone()) {
                return;
            }
            int n = Math.min(in.readableBytes(), echo.writableBytes());
            echo.writeBytes(in, n);
            if (in.isReadable()) {
                fail(ctx, "more than " + PingProtocol.PAYLOAD_LENGTH + " bytes echoed");
                return;
            }
            if (echo.readableBytes() == PingProtocol.PAYLOAD_LENGTH) {
                long rtt = Math.max(0, nanoClock.getAsLong() - sentAt);
                if (MessageDigest.isEqual(payload, ByteBufUtil.getBytes(echo))) {
                    finish();
                    result.complete(Duration.ofNanos(rtt));
                    ctx.close();
                } else {
                    fail(ctx, "echo does not match the payload");
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            fail(ctx, "stream ended after " + echo.readableBytes() + " of " + PingProtocol.PAYLOAD_LENGTH + " bytes");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "stream closed before the echo");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "stream failed: " + cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
        if (echo != null) {
            echo.release();
            echo = null;
        }
        result.completeExceptionally(new IOException("ping handler removed"));
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (result.isDone()) {
            return;
        }
        finish();
        result.completeExceptionally(new IOException("ping failed: " + reason));
        ctx.close();
    }

    private void finish() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
