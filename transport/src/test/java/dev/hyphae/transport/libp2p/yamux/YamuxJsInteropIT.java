package dev.hyphae.transport.libp2p.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.ConnectionUpgrader;
import dev.hyphae.transport.libp2p.connection.JsLibp2pPeer;
import dev.hyphae.transport.libp2p.connection.StreamProtocols;
import dev.hyphae.transport.libp2p.connection.TcpTransport;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Yamux flow control against js-libp2p 3.3 over loopback TCP and Noise: transfers far larger than
 * the 256 KiB initial window, on several streams at once, echoed by js byte for byte.
 */
class YamuxJsInteropIT {
    private static final String ECHO = "/hyphae/test/echo/1.0.0";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static JsLibp2pPeer js;
    private static NioEventLoopGroup group;
    private final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void startJsPeer() throws Exception {
        assumeTrue(JsLibp2pPeer.nodeAvailable(), "node is not installed");
        js = JsLibp2pPeer.start();
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (js != null) {
            js.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Sends {@code data}, half-closes, and completes with everything read until the remote's half-close. */
    private static CompletableFuture<byte[]> echo(Connection connection, byte[] data) {
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        connection.openStream(ECHO, (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "collect",
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext c, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        received.writeBytes(ByteBufUtil.getBytes(buf));
                        buf.release();
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                        if (evt == ChannelInputShutdownEvent.INSTANCE) {
                            echoed.complete(received.toByteArray());
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext c) {
                        echoed.completeExceptionally(new IllegalStateException("stream closed before the echo ended"));
                    }
                })).whenComplete((stream, error) -> {
                    if (error != null) {
                        echoed.completeExceptionally(error);
                        return;
                    }
                    stream.writeAndFlush(Unpooled.wrappedBuffer(data));
                    ((MuxedStream) stream).shutdownOutput();
                });
        return echoed;
    }

    @Test
    void fourStreamsOfTwoMebibytesEachAreEchoedByJsByteForByte() throws Exception {
        ConnectionUpgrader upgrader = new ConnectionUpgrader(PrivateKey.generate(random),
                new YamuxMuxer(YamuxConfig.defaults()), StreamProtocols.none(), random, TIMEOUT);
        Connection connection = new TcpTransport(group, upgrader, c -> { }, TIMEOUT)
                .dial(Multiaddr.parse(js.listenAddress())).get(10, TimeUnit.SECONDS);
        List<byte[]> sent = new ArrayList<>();
        List<CompletableFuture<byte[]>> echoed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] data = new byte[2 * 1024 * 1024 + i];
            random.nextBytes(data);
            sent.add(data);
            echoed.add(echo(connection, data));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), echoed.get(i).get(60, TimeUnit.SECONDS), "stream " + i);
        }
        connection.close().sync();
    }
}
