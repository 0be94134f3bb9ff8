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
 */
public final class NoiseTransportCodec extends ByteToMessageDecoder implements ChannelOutboundHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NoiseTransportCodec.class);

    /** The most plaintext one transport message can carry. */
    public static final int MAX_PLAINTEXT = HandshakeState.MAX_MESSAGE_LENGTH - CipherState.TAG_LENGTH;

    private static final byte[] NO_AD = new byte[0];

    private final CipherState sender;
    private final CipherState receiver;
    private boolean failed;

    /** Plaintext gathered for the next outbound message. */
    private final byte[] pending = new byte[MAX_PLAINTEXT];
    private int pendingLength;
    /** Writes whose last byte is in {@link #pending}; they complete when that message is written. */
    private final List<ChannelPromise> waiting = new ArrayList<>();
    /** Ciphertext of an inbound message whose cumulation buffer has no array. */
    private byte[] inboundScratch;

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
                int n = Math.min(buf.readableBytes(), MAX_PLAINTEXT - pendingLength);
                buf.readBytes(pending, pendingLength, n);
                pendingLength += n;
                if (pendingLength == MAX_PLAINTEXT) {
                    lastSealed = seal(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(buf);
        }
        if (pendingLength > 0) {
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
        if (pendingLength == 0) {
            return null;
        }
        int length = pendingLength;
        pendingLength = 0;
        ByteBuf out = ctx.alloc().heapBuffer(2 + length + CipherState.TAG_LENGTH);
        int written;
        try {
            written = sender.encryptWithAd(NO_AD, pending, 0, length, out.array(), out.arrayOffset() + out.writerIndex() + 2);
        } catch (RuntimeException e) {
            out.release();
            failWaiting(e);
            throw e;
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

    private void failWaiting(Throwable cause) {
        pendingLength = 0;
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
            byte[] ciphertext;
            int offset;
            if (in.hasArray()) {
                ciphertext = in.array();
                offset = in.arrayOffset() + start + 2;
            } else {
                if (inboundScratch == null) {
                    inboundScratch = new byte[HandshakeState.MAX_MESSAGE_LENGTH];
                }
                ciphertext = inboundScratch;
                offset = 0;
                in.getBytes(start + 2, ciphertext, 0, length);
            }
            ByteBuf plaintext = ctx.alloc().heapBuffer(Math.max(0, length - CipherState.TAG_LENGTH));
            try {
                int n = receiver.decryptWithAd(NO_AD, ciphertext, offset, length,
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
