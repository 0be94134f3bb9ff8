package dev.hyphae.transport.libp2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dialer and listener roles of multistream-select share: message reading, the outcome, and the rule that a
 * peer's bad input closes the channel with a logged reason instead of raising an exception.
 */
public abstract sealed class MultistreamNegotiation extends ByteToMessageDecoder
    permits MultistreamDialer, MultistreamListener {

    private static final Logger LOG = LoggerFactory.getLogger(MultistreamNegotiation.class);

    /** How long a negotiation may take unless told otherwise; js-libp2p also allows 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final ProtocolSelected onSelected;
    private final Duration timeout;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private ScheduledFuture<?> deadline;

    MultistreamNegotiation(ProtocolSelected onSelected, Duration timeout) {
        this.onSelected = onSelected;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(
            () -> fail(ctx, new MultistreamException("no agreement within " + timeout)),
            timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** Completes with the agreed protocol, or exceptionally when negotiation fails. */
    public CompletableFuture<String> result() {
        return result;
    }

    /** Handles one message from the peer. */
    abstract void onMessage(ChannelHandlerContext ctx, String message);

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (!result.isDone() && in.refCnt() > 0) {
                Optional<String> message = MultistreamMessages.read(in);
                if (message.isEmpty()) {
                    return;
                }
                onMessage(ctx, message.get());
            }
        } catch (MultistreamException e) {
            discard(in); // before closing, which releases the buffer
            fail(ctx, e);
        } catch (RuntimeException e) {
            discard(in);
            fail(ctx, new MultistreamException("negotiation failed: " + e));
        }
    }

    /** Lets the caller install the handlers of {@code protocol} before the peer agreed to it. */
    final void installEarly(ChannelHandlerContext ctx, String protocol) {
        onSelected.selected(ctx, protocol);
    }

    /** The peer agreed to {@code protocol}, whose handlers are installed already: steps aside. */
    final void confirm(ChannelHandlerContext ctx, String protocol) {
        result.complete(protocol);
        ctx.pipeline().remove(this);
    }

    /** Agrees on {@code protocol}: lets the caller install its handlers, then steps aside. */
    final void select(ChannelHandlerContext ctx, String protocol) {
        onSelected.selected(ctx, protocol);
        result.complete(protocol);
        ctx.pipeline().remove(this);
    }

    final void fail(ChannelHandlerContext ctx, MultistreamException reason) {
        if (result.completeExceptionally(reason)) {
            LOG.debug("multistream-select on {} failed: {}", ctx.channel(), reason.getMessage());
            ctx.close();
        }
    }

    private static void discard(ByteBuf in) {
        if (in.refCnt() > 0) {
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        result.completeExceptionally(new MultistreamException("channel closed during negotiation"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new MultistreamException("negotiation failed: " + cause));
    }
}
