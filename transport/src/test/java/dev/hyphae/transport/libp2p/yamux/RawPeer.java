package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.mux.StreamProbe;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A yamux session on an embedded channel, driven by hand-written frames from a scripted remote. */
final class RawPeer implements AutoCloseable {
    record Frame(YamuxType type, int flags, int streamId, long length, byte[] data) {
        @Override
        public String toString() {
            return type + " " + YamuxFlags.describe(flags) + " stream " + streamId + " length " + length
                    + " data " + java.util.Arrays.toString(data);
        }
    }

    final TrackingAllocator alloc = new TrackingAllocator();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final EmbeddedChannel channel = new EmbeddedChannel();
    final List<StreamProbe> accepted = new ArrayList<>();
    final YamuxSession session;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new YamuxFrameDecoder(Integer.MAX_VALUE));

    RawPeer(boolean client, YamuxConfig config) {
        this(client, config, true);
    }

    RawPeer(boolean client, YamuxConfig config, boolean autoRead) {
        channel.config().setAllocator(alloc);
        session = new YamuxMuxer(config.withNanoClock(clock::get)).install(channel, client, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                StreamProbe probe = new StreamProbe(false, autoRead);
                accepted.add(probe);
                ch.pipeline().addLast(probe);
            }
        });
    }

    /** Feeds one frame from the remote, as raw header bytes plus payload. */
    void send(YamuxType type, int flags, int streamId, long length, byte[] data) {
        ByteBuf buf = alloc.buffer(12 + data.length);
        buf.writeByte(0).writeByte(type.code()).writeShort(flags).writeInt(streamId).writeInt((int) length);
        buf.writeBytes(data);
        channel.writeInbound(buf);
    }

    void send(YamuxType type, int flags, int streamId, long length) {
        send(type, flags, streamId, length, new byte[0]);
    }

    void sendData(int flags, int streamId, byte[] data) {
        send(YamuxType.DATA, flags, streamId, data.length, data);
    }

    /** Everything the session wrote since the last call, decoded. */
    List<Frame> written() {
        channel.runPendingTasks();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            decoder.writeInbound(msg);
        }
        List<Frame> frames = new ArrayList<>();
        YamuxFrame f;
        while ((f = decoder.readInbound()) != null) {
            frames.add(new Frame(f.type(), f.flags(), f.streamId(), f.length(), ByteBufUtil.getBytes(f.content())));
            f.release();
        }
        return frames;
    }

    /** The frames written since the last call, without the initial keep-alive ping. */
    List<Frame> writtenExceptPings() {
        return written().stream().filter(f -> f.type() != YamuxType.PING).toList();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
