package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.mux.StreamResetEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the source's hop stream and the target's stop stream into one relayed connection: bytes
 * flow both ways with backpressure (a side stops reading while the other cannot take more), a
 * half-close passes through, and a reset of either side, the duration limit or more bytes in one
 * direction than the data limit resets both (circuit-v2 spec, "Reservation").
 */
final class CircuitBridge {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBridge.class);

    private final MuxedStream source;
    private final MuxedStream target;
    private final CircuitLimit limit;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private ScheduledFuture<?> timer;

    /** @param onEnd runs once, when both streams are gone */
    CircuitBridge(MuxedStream source, MuxedStream target, CircuitLimit limit, Runnable onEnd) {
        this.source = source;
        this.target = target;
        this.limit = limit;
        this.onEnd = onEnd;
    }

    /** Starts the duration limit and watches both streams; call once, then attach both sides. */
    void start() {
        if (limit.limitsDuration()) {
            timer = source.eventLoop().schedule(() -> resetBoth("duration limit " + limit.duration() + " reached"),
                limit.duration().toNanos(), TimeUnit.NANOSECONDS);
        }
        source.closeFuture().addListener(f -> closed());
        target.closeFuture().addListener(f -> closed());
    }

    /** Forwards what the target sends, from the handler after {@code after} on (on the target's loop). */
    void attachTarget(String after) {
        target.pipeline().addAfter(after, "circuit", new Splice(source));
    }

    /** Forwards what the source sends (on the source's loop). */
    void attachSource() {
        source.pipeline().addLast("circuit", new Splice(target));
    }

    private void closed() {
        if (!source.isOpen() && !target.isOpen() && ended.compareAndSet(false, true)) {
            if (timer != null) {
                timer.cancel(false);
            }
            onEnd.run();
        }
        // One side gone without a clean end: the other cannot go on.
        if (!source.isOpen() && target.isOpen() && !source.isInputShutdown()) {
            target.reset();
        }
        if (!target.isOpen() && source.isOpen() && !target.isInputShutdown()) {
            source.reset();
        }
    }

    private void resetBoth(String why) {
        LOG.debug("ending circuit {} <-> {}: {}", source, target, why);
        source.reset();
        target.reset();
    }

    /** Reads one stream and writes the other. */
    private final class Splice extends ChannelInboundHandlerAdapter {
        private final MuxedStream out;
        private long forwarded;

        Splice(MuxedStream out) {
            this.out = out;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            // Stop reading while the other side's stream is full, resume once it drains.
            out.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext outCtx) {
                    ctx.channel().config().setAutoRead(out.isWritable());
                    outCtx.fireChannelWritabilityChanged();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf data)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            int length = data.readableBytes();
            if (limit.limitsData() && forwarded + length > limit.data()) {
                int allowed = (int) (limit.data() - forwarded);
                forwarded = limit.data();
                out.writeAndFlush(data.retainedSlice(data.readerIndex(), allowed));
                data.release();
                resetBoth("data limit of " + limit.data() + " bytes reached");
                return;
            }
            forwarded += length;
            out.write(data);
            if (!out.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            out.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                out.shutdownOutput();
                if (out.isInputShutdown()) {
                    ctx.close();
                    out.close();
                }
            } else if (evt == StreamResetEvent.INSTANCE) {
                out.reset();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            resetBoth("stream failed: " + cause);
        }
    }
}
