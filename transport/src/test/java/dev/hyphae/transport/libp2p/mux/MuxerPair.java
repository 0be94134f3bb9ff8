package dev.hyphae.transport.libp2p.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Two muxed connections over {@link EmbeddedChannel}s, wired back to back by {@link #pump()},
 * which moves bytes both ways until both sides are quiet. Fully deterministic.
 */
public final class MuxerPair implements AutoCloseable {
    public final TrackingAllocator alloc = new TrackingAllocator();
    public final EmbeddedChannel dialerChannel = new EmbeddedChannel();
    public final EmbeddedChannel listenerChannel = new EmbeddedChannel();
    public final MuxedSession dialer;
    public final MuxedSession listener;
    public final List<StreamProbe> acceptedByDialer = new ArrayList<>();
    public final List<StreamProbe> acceptedByListener = new ArrayList<>();

    public MuxerPair(StreamMuxer dialerMuxer, StreamMuxer listenerMuxer, Supplier<StreamProbe> probes) {
        dialerChannel.config().setAllocator(alloc);
        listenerChannel.config().setAllocator(alloc);
        dialer = dialerMuxer.install(dialerChannel, true, acceptInto(acceptedByDialer, probes));
        listener = listenerMuxer.install(listenerChannel, false, acceptInto(acceptedByListener, probes));
        pump();
    }

    /** A pair whose listener hands every inbound stream to {@code listenerStreams} (must be sharable). */
    public MuxerPair(StreamMuxer muxer, ChannelHandler listenerStreams) {
        dialerChannel.config().setAllocator(alloc);
        listenerChannel.config().setAllocator(alloc);
        dialer = muxer.install(dialerChannel, true, acceptInto(acceptedByDialer, StreamProbe::recorder));
        listener = muxer.install(listenerChannel, false, listenerStreams);
        pump();
    }

    private static ChannelInitializer<Channel> acceptInto(List<StreamProbe> accepted, Supplier<StreamProbe> probes) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                StreamProbe probe = probes.get();
                accepted.add(probe);
                ch.pipeline().addLast(probe);
            }
        };
    }

    /** Opens a stream from {@code side} with {@code probe} in its pipeline, and pumps. */
    public MuxedStream open(MuxedSession side, ChannelHandler probe) {
        var future = side.openStream(probe);
        pump();
        if (!future.isSuccess()) {
            throw new AssertionError("opening a stream failed", future.cause());
        }
        return future.getNow();
    }

    /** Moves frames both ways until neither side has anything left to send. */
    public void pump() {
        boolean moved;
        do {
            dialerChannel.runPendingTasks();
            listenerChannel.runPendingTasks();
            moved = transfer(dialerChannel, listenerChannel) | transfer(listenerChannel, dialerChannel);
        } while (moved);
    }

    private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        Object msg;
        while ((msg = from.readOutbound()) != null) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
        return moved;
    }

    /** Closes both connections and asserts that no buffer leaked. */
    @Override
    public void close() {
        pump();
        dialerChannel.finishAndReleaseAll();
        listenerChannel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
