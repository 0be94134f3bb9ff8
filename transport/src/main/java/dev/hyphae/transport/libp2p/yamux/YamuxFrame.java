package dev.hyphae.transport.libp2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * One yamux frame: the 12-byte header fields and, for Data frames, the payload.
 * For the other types {@link #length()} carries the window delta, the ping opaque value or the
 * Go Away code, and the content is empty. Holds a reference to its payload: release it.
 */
public final class YamuxFrame extends DefaultByteBufHolder {
    public static final int HEADER_LENGTH = 12;
    public static final int VERSION = 0;

    private final YamuxType type;
    private final int flags;
    private final int streamId;
    private final long length;

    private YamuxFrame(YamuxType type, int flags, int streamId, long length, ByteBuf data) {
        super(data);
        this.type = type;
        this.flags = flags;
        this.streamId = streamId;
        this.length = length;
    }

    /** A Data frame; takes ownership of {@code data}. */
    public static YamuxFrame data(int flags, int streamId, ByteBuf data) {
        return new YamuxFrame(YamuxType.DATA, flags, streamId, data.readableBytes(), data);
    }

    public static YamuxFrame windowUpdate(int flags, int streamId, long delta) {
        return new YamuxFrame(YamuxType.WINDOW_UPDATE, flags, streamId, checkUnsigned32(delta), Unpooled.EMPTY_BUFFER);
    }

    public static YamuxFrame ping(int flags, long opaque) {
        return new YamuxFrame(YamuxType.PING, flags, 0, checkUnsigned32(opaque), Unpooled.EMPTY_BUFFER);
    }

    public static YamuxFrame goAway(GoAwayCode code) {
        return new YamuxFrame(YamuxType.GO_AWAY, 0, 0, code.code(), Unpooled.EMPTY_BUFFER);
    }

    /** A frame exactly as read from the wire, used by the decoder (which has checked the fields). */
    static YamuxFrame decoded(YamuxType type, int flags, int streamId, long length, ByteBuf data) {
        return new YamuxFrame(type, flags, streamId, length, data);
    }

    private static long checkUnsigned32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an unsigned 32-bit value: " + value);
        }
        return value;
    }

    public YamuxType type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public boolean hasFlag(int flag) {
        return YamuxFlags.has(flags, flag);
    }

    /** The stream id as an unsigned 32-bit value stored in an int. */
    public int streamId() {
        return streamId;
    }

    /** The Length field: payload size, window delta, ping opaque value or Go Away code. */
    public long length() {
        return length;
    }

    @Override
    public YamuxFrame replace(ByteBuf content) {
        return new YamuxFrame(type, flags, streamId, type == YamuxType.DATA ? content.readableBytes() : length, content);
    }

    @Override
    public String toString() {
        return "YamuxFrame(" + type + ", " + YamuxFlags.describe(flags) + ", stream "
                + Integer.toUnsignedString(streamId) + ", length " + length + ")";
    }
}
