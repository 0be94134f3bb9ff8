package dev.hyphae.transport.libp2p.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Picks the upgrade role of a hole-punched TCP connection dialled by DCUtR's server side (the
 * spec's B, which must act as the server). When both dials met in a TCP simultaneous open, the
 * client (A) speaks first and this side answers as responder. When this side's SYN reached the
 * peer's listener instead, the peer waits for a dialer, so after {@code wait} without a byte this
 * side starts as initiator.
 */
final class SimultaneousOpenRole extends ChannelInboundHandlerAdapter {

    private final Duration wait;
    private final Consumer<Boolean> startAsInitiator;
    private ScheduledFuture<?> timer;
    private boolean decided;

    /** @param startAsInitiator starts the upgrade, as initiator when given {@code true} */
    SimultaneousOpenRole(Duration wait, Consumer<Boolean> startAsInitiator) {
        this.wait = wait;
        this.startAsInitiator = startAsInitiator;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startTimer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startTimer(ctx);
        super.channelActive(ctx);
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer == null && !decided) {
            timer = ctx.executor().schedule(() -> {
                if (!decided && ctx.channel().isActive()) {
                    decide(ctx, true);
                    ctx.pipeline().remove(this);
                }
            }, wait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided) {
            ctx.fireChannelRead(msg);
            return;
        }
        decide(ctx, false);
        ctx.fireChannelRead(msg);
        ctx.pipeline().remove(this);
    }

    private void decide(ChannelHandlerContext ctx, boolean initiator) {
        if (decided) {
            return;
        }
        decided = true;
        if (timer != null) {
            timer.cancel(false);
        }
        startAsInitiator.accept(initiator);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
        }
        super.channelInactive(ctx);
    }
}
