package dev.hyphae.transport.libp2p.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.mux.MuxedSession;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Yamux between two event loops over Netty's in-process local transport: streams are opened from
 * a foreign thread and data crosses threads under flow control.
 */
class YamuxLocalChannelTest {
    private final EventLoopGroup group = new DefaultEventLoopGroup(2);
    private final List<YamuxSession> listenerSessions = new ArrayList<>();
    private Channel server;
    private Channel client;
    private YamuxSession dialer;

    /** Echoes everything back and half-closes once the remote has. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.flush();
                ((MuxedStream) ctx.channel()).shutdownOutput();
            }
        }
    }

    /** Collects a stream's input and completes when the remote half-closes. */
    private static final class Collect extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                done.complete(received.toByteArray());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("stream closed early"));
        }
    }

    @BeforeEach
    void connect() throws Exception {
        LocalAddress address = new LocalAddress("yamux-" + System.nanoTime());
        YamuxMuxer muxer = new YamuxMuxer(YamuxConfig.defaults());
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        synchronized (listenerSessions) {
                            listenerSessions.add(muxer.install(ch, false, new Echo()));
                        }
                    }
                }).bind(address).sync().channel();
        client = new Bootstrap().group(group).channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
        dialer = muxer.install(client, true, new Echo());
    }

    @AfterEach
    void close() {
        client.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static CompletableFuture<byte[]> echo(MuxedSession session, byte[] data) {
        Collect collect = new Collect();
        session.openStream(collect).addListener(f -> {
            if (!f.isSuccess()) {
                collect.done.completeExceptionally(f.cause());
                return;
            }
            MuxedStream stream = (MuxedStream) f.getNow();
            stream.writeAndFlush(Unpooled.wrappedBuffer(data));
            stream.shutdownOutput();
        });
        return collect.done;
    }

    @Test
    void fiftyConcurrentStreamsOpenedFromAForeignThreadEchoByteForByte() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        List<CompletableFuture<byte[]>> echoed = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < 50; i++) {
            byte[] data = new byte[300 * 1024 + i];
            random.nextBytes(data);
            sent.add(data);
            echoed.add(echo(dialer, data));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), echoed.get(i).get(30, TimeUnit.SECONDS), "stream " + i);
        }
    }

    @Test
    void sixteenMebibytesCrossTheEventLoopsIntactAfterAMeasuredPing() throws Exception {
        dialer.ping().get(10, TimeUnit.SECONDS);
        byte[] data = new byte[16 * 1024 * 1024];
        new Random(12).nextBytes(data);
        long start = System.nanoTime();
        byte[] back = echo(dialer, data).get(60, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        assertArrayEquals(data, back);
        System.out.printf("yamux over local channel: 16 MiB echoed in %d ms (%.1f MiB/s each way)%n",
                elapsed / 1_000_000, 16.0 / (elapsed / 1e9));
        assertTrue(dialer.rtt().isPresent());
        assertEquals(1, listenerSessions.size());
    }
}
