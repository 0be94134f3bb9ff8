package dev.hyphae.transport.libp2p.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.multiaddr.InvalidVarintException;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads exactly one uvarint-framed relay message from a stream, then steps aside: bytes that came
 * after the message (the start of a relayed connection) go on to whatever {@link Handler#onMessage}
 * installed after this handler. Bad framing, an unparsable message, the end of the stream or the
 * timeout go to {@link Handler#onFailure} instead. One instance per message.
 */
final class RelayMessageReader<T> extends ByteToMessageDecoder {

    /** Parses a message's bytes. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }

    /** What happens with the message, in the event loop. */
    interface Handler<T> {
        /** Called with the message while this reader is still in the pipeline: add handlers after it. */
        void onMessage(ChannelHandlerContext ctx, T message);

        /**
         * Called once when no message can be read.
         *
         * @param malformed true when the remote sent bytes that are not a valid message (the
         *     stream is still open and may be answered), false when it ended or timed out
         */
        void onFailure(ChannelHandlerContext ctx, String reason, boolean malformed);
    }

    private final Parser<T> parser;
    private final Handler<T> handler;
    private final Duration timeout;
    private ScheduledFuture<?> timer;
    private boolean done;

    RelayMessageReader(Parser<T> parser, Handler<T> handler, Duration timeout) {
        this.parser = parser;
        this.handler = handler;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> fail(ctx, "no message within " + timeout, false),
            timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            return;
        }
        int start = in.readerIndex();
        long length;
        try {
            if (UnsignedVarint.completeLength(in) == 0) {
                return;
            }
            length = UnsignedVarint.read(in);
        } catch (InvalidVarintException e) {
            in.skipBytes(in.readableBytes());
            fail(ctx, "bad length prefix: " + e.getMessage(), true);
            return;
        }
        if (length > RelayProtocol.MAX_MESSAGE_SIZE) {
            in.skipBytes(in.readableBytes());
            fail(ctx, "message of " + length + " bytes exceeds " + RelayProtocol.MAX_MESSAGE_SIZE, true);
            return;
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return;
        }
        T message;
        try {
            message = parser.parse(ByteBufUtil.getBytes(in.readSlice((int) length)));
        } catch (InvalidProtocolBufferException e) {
            in.skipBytes(in.readableBytes());
            fail(ctx, "malformed message: " + e.getMessage(), true);
            return;
        }
        done = true;
        cancelTimer();
        handler.onMessage(ctx, message);
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ChannelInputShutdownEvent.INSTANCE && !done) {
            fail(ctx, "stream ended before the message", false);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, "stream closed before the message", false);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "stream failed: " + cause, false);
        ctx.close();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void fail(ChannelHandlerContext ctx, String reason, boolean malformed) {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        handler.onFailure(ctx, reason, malformed);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
