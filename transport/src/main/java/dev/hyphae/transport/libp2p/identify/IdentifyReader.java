package dev.hyphae.transport.libp2p.identify;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.identify.proto.IdentifyProto;
import dev.hyphae.transport.libp2p.multiaddr.InvalidVarintException;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Receives identify: reads uvarint-framed messages (each at most 8 KiB, at most 10) until the
 * remote half-closes, merges them like js does, checks them against the connection's peer and
 * completes {@link #result()}. Used by the dialer of {@code /ipfs/id/1.0.0} and the receiver of
 * {@code /ipfs/id/push/1.0.0}. Any fault fails the result and closes the stream. One instance per stream.
 */
public final class IdentifyReader extends ByteToMessageDecoder {
    private final PeerId remotePeer;
    private final boolean push;
    private final Duration timeout;
    private final CompletableFuture<IdentifyMessage> result = new CompletableFuture<>();
    private final IdentifyProto.Identify.Builder merged = IdentifyProto.Identify.newBuilder();
    private int messages;
    private ScheduledFuture<?> timer;

    /**
     * @param remotePeer the authenticated peer of the connection the stream belongs to
     * @param push true for identify push, where every field may be missing
     * @param timeout how long to wait for the remote's end of stream (js: 5 s)
     */
    public IdentifyReader(PeerId remotePeer, boolean push, Duration timeout) {
        this.remotePeer = remotePeer;
        this.push = push;
        this.timeout = timeout;
    }

    /** Completes with the checked message, or exceptionally with an {@link IdentifyException} or {@link IOException}. */
    public CompletableFuture<IdentifyMessage> result() {
        return result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> fail(ctx, new IdentifyException("no complete identify within " + timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!result.isDone() && in.isReadable()) {
            int start = in.readerIndex();
            long length;
            try {
                if (UnsignedVarint.completeLength(in) == 0) {
                    return;
                }
                length = UnsignedVarint.read(in);
            } catch (InvalidVarintException e) {
                fail(ctx, new IdentifyException("bad length prefix: " + e.getMessage()));
                return;
            }
            if (length > IdentifyProtocol.MAX_MESSAGE_SIZE) {
                fail(ctx, new IdentifyException("identify message of " + length + " bytes exceeds "
                        + IdentifyProtocol.MAX_MESSAGE_SIZE));
                return;
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            if (++messages > IdentifyProtocol.MAX_MESSAGES) {
                fail(ctx, new IdentifyException("more than " + IdentifyProtocol.MAX_MESSAGES + " identify messages"));
                return;
            }
            try (ByteBufInputStream message = new ByteBufInputStream(in.readSlice((int) length))) {
                merged.mergeFrom(message);
            } catch (InvalidProtocolBufferException e) {
                fail(ctx, new IdentifyException("malformed identify message: " + e.getMessage()));
                return;
            } catch (IOException e) {
                fail(ctx, new IdentifyException("unreadable identify message: " + e.getMessage()));
                return;
            }
        }
        if (result.isDone()) {
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (in.isReadable() && !result.isDone()) {
            fail(ctx, new IdentifyException("stream ended inside an identify message"));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        super.userEventTriggered(ctx, evt);
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            finish(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        fail(ctx, new IOException("stream closed before the identify message ended"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new IOException("identify stream failed", cause));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimer();
        result.completeExceptionally(new IOException("identify handler removed"));
    }

    private void finish(ChannelHandlerContext ctx) {
        if (result.isDone()) {
            return;
        }
        if (messages == 0) {
            fail(ctx, new IdentifyException("stream ended without an identify message"));
            return;
        }
        try {
            IdentifyMessage message = IdentifyMessage.fromProto(merged.build(), remotePeer, push);
            cancelTimer();
            result.complete(message);
            ctx.close();
        } catch (IdentifyException e) {
            fail(ctx, e);
        }
    }

    private void fail(ChannelHandlerContext ctx, IOException cause) {
        if (result.isDone()) {
            return;
        }
        cancelTimer();
        result.completeExceptionally(cause);
        ctx.close();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
