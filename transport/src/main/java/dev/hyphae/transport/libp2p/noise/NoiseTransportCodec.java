package dev.hyphae.transport.libp2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseNotifier;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Noise transport messages as libp2p frames them: a 2-byte big-endian length, then the ciphertext
 * of at most 65535 bytes including the 16-byte tag. An inbound message that fails authentication
 * closes the connection.
 *
 * <p>Outbound bytes are gathered until a flush (or until a message is full) and sealed together:
 * message boundaries mean nothing to the layers above, and one message per write would cost a
 * cipher initialisation, a tag and a length prefix for every small yamux header and window update.
 *
 * <p>The gathered plaintext and the copy of an inbound message are borrowed from the channel's
 * allocator only while in use: a node keeps a connection to every peer it shares a room with, and
 * two 64 KiB arrays owned by each connection (measured: 128 KiB of heap per connection, 1.3 GB for
 * a hundred nodes connected to each other in one process) would cost far more than the bytes in
 * flight.
 */
public final class NoiseTransportCodec extends ByteToMessageDecoder implements ChannelOutboundHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NoiseTransportCodec.class);

    /** The most plaintext one transport message can carry. */
    public static final int MAX_PLAINTEXT = HandshakeState.MAX_MESSAGE_LENGTH - CipherState.TAG_LENGTH;

    private static final byte[] NO_AD = new byte[0];

    private final CipherState sender;
    private final CipherState receiver;
    private boolean failed;

    /** The first size of {@link #pending}: most writes are yamux headers and small frames. */
    private static final int FIRST_PENDING_CAPACITY = 1024;

    /** Plaintext gathered for the next outbound message (a heap buffer); null when none. */
    private ByteBuf pending;
    /** Writes whose last byte is in {@link #pending}; they complete when that message is written. */
    private final List<ChannelPromise> waiting = new ArrayList<>();

    public NoiseTransportCodec(HandshakeState.TransportCiphers ciphers) {
        this.sender = ciphers.sender();
        this.receiver = ciphers.receiver();
    }

    // ---- outbound ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            seal(ctx);
            ctx.write(msg, promise);
            return;
        }
        ChannelFuture lastSealed = null;
        try {
            while (buf.isReadable()) {
                if (pending == null) {
                    pending = ctx.alloc().heapBuffer(
                            Math.min(MAX_PLAINTEXT, Math.max(FIRST_PENDING_CAPACITY, buf.readableBytes())),
                            MAX_PLAINTEXT);
                }
                pending.writeBytes(buf, Math.min(buf.readableBytes(), pending.maxWritableBytes()));
                if (pending.maxWritableBytes() == 0) {
                    lastSealed = seal(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(buf);
        }
        if (pending != null) {
            waiting.add(promise);
        } else if (lastSealed != null) {
            PromiseNotifier.cascade(false, lastSealed, promise);
        } else {
            promise.trySuccess();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        seal(ctx);
        ctx.flush();
    }

    /** Encrypts the gathered plaintext as one transport message and writes it; null if none. */
    private ChannelFuture seal(ChannelHandlerContext ctx) {
        if (pending == null) {
            return null;
        }
        int length = pending.readableBytes();
        ByteBuf out = ctx.alloc().heapBuffer(2 + length + CipherState.TAG_LENGTH);
        int written;
        try {
            written = sender.encryptWithAd(NO_AD, pending.array(), pending.arrayOffset() + pending.readerIndex(), length,
                    out.array(), out.arrayOffset() + out.writerIndex() + 2);
        } catch (RuntimeException e) {
            out.release();
            failWaiting(e);
            throw e;
        } finally {
            releasePending();
        }
        out.writeShort(written);
        out.writerIndex(out.writerIndex() + written);
        ChannelPromise promise;
        if (waiting.isEmpty()) {
            promise = ctx.newPromise();
        } else if (waiting.size() == 1) {
            promise = waiting.get(0);
        } else {
            promise = ctx.newPromise();
            promise.addListener(new PromiseNotifier<>(false, waiting.toArray(new ChannelPromise[0])));
        }
        waiting.clear();
        return ctx.write(out, promise);
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void failWaiting(Throwable cause) {
        releasePending();
        for (ChannelPromise p : waiting) {
            p.tryFailure(cause);
        }
        waiting.clear();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // Like Netty's own outbound buffer: what was written but never flushed is not sent.
        failWaiting(new ClosedChannelException());
        ctx.close(promise);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        failWaiting(new ClosedChannelException());
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
                        ChannelPromise promise) {
        ctx.connect(remoteAddress, localAddress, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    // ---- inbound ----

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int length = in.getUnsignedShort(start);
            if (in.readableBytes() < 2 + length) {
                return;
            }
            // The cipher reads arrays: a cumulation buffer without one (direct) is copied first.
            ByteBuf copy = in.hasArray() ? null : ctx.alloc().heapBuffer(length);
            ByteBuf ciphertext = copy == null ? in : copy;
            int offset = copy == null ? in.arrayOffset() + start + 2 : copy.arrayOffset();
            if (copy != null) {
                in.getBytes(start + 2, copy.array(), offset, length);
            }
            ByteBuf plaintext = ctx.alloc().heapBuffer(Math.max(0, length - CipherState.TAG_LENGTH));
            try {
                int n = receiver.decryptWithAd(NO_AD, ciphertext.array(), offset, length,
                    plaintext.array(), plaintext.arrayOffset() + plaintext.writerIndex());
                plaintext.writerIndex(plaintext.writerIndex() + n);
            } catch (NoiseException e) {
                plaintext.release();
                failed = true;
                in.skipBytes(in.readableBytes()); // before closing, which releases the buffer
                LOG.debug("closing {}: noise transport message rejected: {}", ctx.channel(), e.getMessage());
                ctx.close();
                return;
            } catch (RuntimeException e) {
                plaintext.release();
                throw e;
            } finally {
                if (copy != null) {
                    copy.release();
                }
            }
            in.skipBytes(2 + length);
            if (plaintext.isReadable()) {
                out.add(plaintext);
            } else {
                plaintext.release();
            }
        }
    }
}
