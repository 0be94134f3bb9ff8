package dev.hyphae.transport.libp2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the connection's bytes into {@link YamuxFrame}s. Checks only what the header alone can
 * tell (version, type, payload size); stream semantics are the session's job. After the first bad
 * header it discards all further input, since framing is lost.
 */
public final class YamuxFrameDecoder extends ByteToMessageDecoder {
    private final int maxDataLength;
    private boolean failed;

    /** @param maxDataLength the largest Data payload accepted; no window can be larger than this. */
    public YamuxFrameDecoder(int maxDataLength) {
        if (maxDataLength <= 0) {
            throw new IllegalArgumentException("maxDataLength must be positive");
        }
        this.maxDataLength = maxDataLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
            int start = in.readerIndex();
            int version = in.getUnsignedByte(start);
            int typeCode = in.getUnsignedByte(start + 1);
            int flags = in.getUnsignedShort(start + 2);
            int streamId = in.getInt(start + 4);
            long length = in.getUnsignedInt(start + 8);
            if (version != YamuxFrame.VERSION) {
                throw fail(in, "unsupported yamux version " + version);
            }
            if (typeCode > YamuxType.GO_AWAY.code()) {
                throw fail(in, "unknown frame type " + typeCode);
            }
            YamuxType type = YamuxType.fromCode(typeCode);
            if (type != YamuxType.DATA) {
                in.skipBytes(YamuxFrame.HEADER_LENGTH);
                out.add(YamuxFrame.decoded(type, flags, streamId, length, Unpooled.EMPTY_BUFFER));
                continue;
            }
            if (length > maxDataLength) {
                throw fail(in, "data frame of " + length + " bytes exceeds the limit of " + maxDataLength);
            }
            if (in.readableBytes() < YamuxFrame.HEADER_LENGTH + length) {
                return;
            }
            in.skipBytes(YamuxFrame.HEADER_LENGTH);
            ByteBuf data = length == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice((int) length);
            out.add(YamuxFrame.decoded(type, flags, streamId, length, data));
        }
    }

    private YamuxProtocolException fail(ByteBuf in, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new YamuxProtocolException(GoAwayCode.PROTOCOL_ERROR, reason);
    }
}
