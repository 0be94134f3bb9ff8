package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.multiaddr.InvalidVarintException;
import dev.hyphae.transport.libp2p.multiaddr.UnsignedVarint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a DHT stream into messages: each an unsigned-varint length, at most {@code maxSize},
 * followed by a protobuf {@code Message}, passed on parsed. On the first bad frame it passes on a
 * {@link KadProtocolException} instead (as a message, so the next handler decides) and discards
 * everything after it.
 */
public final class KadFrameDecoder extends ByteToMessageDecoder {

    private final int maxSize;
    private boolean failed;

    public KadFrameDecoder(int maxSize) {
        this.maxSize = maxSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.isReadable()) {
            int start = in.readerIndex();
            long length;
            try {
                if (UnsignedVarint.completeLength(in) == 0) {
                    return;
                }
                length = UnsignedVarint.read(in);
            } catch (InvalidVarintException e) {
                fail(out, "bad length prefix: " + e.getMessage());
                break;
            }
            if (length > maxSize) {
                fail(out, "message of " + length + " bytes exceeds " + maxSize);
                break;
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            try {
                out.add(KadMessages.parse(in.readSlice((int) length)));
            } catch (KadProtocolException e) {
                failed = true;
                out.add(e);
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (in.isReadable() && !failed) {
            fail(out, "stream ended inside a message");
            in.skipBytes(in.readableBytes());
        }
    }

    private void fail(List<Object> out, String reason) {
        failed = true;
        out.add(new KadProtocolException(reason));
    }
}
