package dev.hyphae.transport.libp2p.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.mux.StreamProbe;
import dev.hyphae.transport.libp2p.mux.TrackingAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Streams stop handing data to a connection that cannot take more, and resume when it drains. */
@ExtendWith(NoLeaks.class)
class YamuxBackpressureTest {
    private static final int FRAME = 4096;

    /** Holds back flushes while closed, like a slow socket. */
    private static final class FlushGate extends ChannelOutboundHandlerAdapter {
        boolean open;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (open) {
                ctx.flush();
            }
        }
    }

    @Test
    void streamsWaitWhileTheConnectionIsUnwritableAndResumeWhenItDrains() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel connection = new EmbeddedChannel();
        connection.config().setAllocator(alloc);
        connection.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8 * 1024, 16 * 1024));
        FlushGate gate = new FlushGate();
        connection.pipeline().addFirst(gate);
        YamuxConfig config = new YamuxConfig(16 * 1024 * 1024, 1000, 256, FRAME,
                Duration.ofSeconds(30), Duration.ofMinutes(5), System::nanoTime);
        YamuxSession session = new YamuxMuxer(config).install(connection, true, StreamProbe.recorder());

        var opened = session.openStream(StreamProbe.recorder());
        connection.runPendingTasks();
        MuxedStream stream = (MuxedStream) opened.getNow();
        var written = stream.writeAndFlush(alloc.buffer().writeBytes(new byte[100 * 1024]));
        stream.shutdownOutput();

        long pending = connection.unsafe().outboundBuffer().totalPendingWriteBytes();
        assertFalse(connection.isWritable());
        assertTrue(pending <= 16 * 1024 + FRAME + 2 * YamuxFrame.HEADER_LENGTH + 64,
                "the stream stopped near the high water mark, not at the 256 KiB window: " + pending);
        assertFalse(written.isDone());

        gate.open = true;
        connection.flush();
        connection.runPendingTasks();
        long data = 0;
        boolean fin = false;
        EmbeddedChannel decoder = new EmbeddedChannel(new YamuxFrameDecoder(Integer.MAX_VALUE));
        Object msg;
        while ((msg = connection.readOutbound()) != null) {
            decoder.writeInbound(msg);
        }
        YamuxFrame frame;
        while ((frame = decoder.readInbound()) != null) {
            if (frame.type() == YamuxType.DATA) {
                data += frame.content().readableBytes();
            }
            fin |= frame.hasFlag(YamuxFlags.FIN);
            frame.release();
        }
        assertEquals(100 * 1024, data);
        assertTrue(fin, "the FIN follows the last queued byte");
        assertTrue(written.isSuccess());

        decoder.finishAndReleaseAll();
        connection.finishAndReleaseAll();
        alloc.assertAllReleased();
    }
}
