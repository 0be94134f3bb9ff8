package dev.hyphae.transport.libp2p.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.libp2p.yamux.YamuxMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two Java nodes over real loopback TCP: dial, Noise, yamux, a stream. */
class TcpTransportIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final SecureRandom random = new SecureRandom();
    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final LinkedBlockingQueue<Connection> inbound = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TcpTransport node(PrivateKey key) {
        ConnectionUpgrader upgrader = new ConnectionUpgrader(key, new YamuxMuxer(YamuxConfig.defaults()),
            StreamProtocols.none().with(EchoProtocol.ID, EchoProtocol.server()), random, TIMEOUT);
        return new TcpTransport(group, upgrader, inbound::add, TIMEOUT);
    }

    @Test
    void javaDialsJavaOverLoopbackAndEchoesOnAStream() throws Exception {
        PrivateKey listenerKey = PrivateKey.generate(random);
        PrivateKey dialerKey = PrivateKey.generate(random);
        TcpTransport.Listener listener = node(listenerKey).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get();
        Multiaddr target = listener.address().encapsulate(Multiaddr.parse("/p2p/" + listenerKey.peerId()));

        Connection connection = node(dialerKey).dial(target).get(10, TimeUnit.SECONDS);
        assertEquals(listenerKey.peerId(), connection.remotePeer());
        Connection accepted = inbound.poll(10, TimeUnit.SECONDS);
        assertEquals(dialerKey.peerId(), accepted.remotePeer());

        byte[] payload = new byte[200_000]; // several Noise messages and yamux frames
        random.nextBytes(payload);
        assertArrayEquals(payload, echo(connection, EchoProtocol.ID, payload));
        connection.close().sync();
        listener.close().sync();
    }

    @Test
    void aSocketTheGateRefusesIsClosedBeforeAnyHandshake() throws Exception {
        LinkedBlockingQueue<java.net.InetSocketAddress> asked = new LinkedBlockingQueue<>();
        ConnectionUpgrader upgrader = new ConnectionUpgrader(PrivateKey.generate(random),
            new YamuxMuxer(YamuxConfig.defaults()), StreamProtocols.none(), random, TIMEOUT);
        TcpTransport gated = new TcpTransport(group, upgrader, inbound::add, TIMEOUT, remote -> {
            asked.add(remote);
            return java.util.Optional.of("test refuses everyone");
        });
        TcpTransport.Listener listener = gated.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get();
        int port = Integer.parseInt(listener.address().valueOf(Protocol.TCP).orElseThrow());

        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            // An accepted socket would wait for the dialer's multistream header until the upgrade
            // timeout (10 s); a refused one is closed at once.
            socket.setSoTimeout((int) TIMEOUT.toMillis() / 2);
            assertEquals(-1, socket.getInputStream().read());
        }
        assertEquals("127.0.0.1", asked.poll(10, TimeUnit.SECONDS).getAddress().getHostAddress());
        assertEquals(null, inbound.poll(200, TimeUnit.MILLISECONDS));
        listener.close().sync();
    }

    @Test
    void dialsADns4AddressOfLocalhost() throws Exception {
        PrivateKey listenerKey = PrivateKey.generate(random);
        TcpTransport.Listener listener = node(listenerKey).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get();
        String port = listener.address().valueOf(Protocol.TCP).orElseThrow();
        Connection connection = node(PrivateKey.generate(random))
            .dial(Multiaddr.parse("/dns4/localhost/tcp/" + port + "/p2p/" + listenerKey.peerId()))
            .get(10, TimeUnit.SECONDS);
        assertEquals(listenerKey.peerId(), connection.remotePeer());
        connection.close().sync();
        listener.close().sync();
    }

    @Test
    void dialFailsWhenTheAddressNamesAnotherPeer() throws Exception {
        PrivateKey listenerKey = PrivateKey.generate(random);
        TcpTransport.Listener listener = node(listenerKey).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get();
        Multiaddr wrong = listener.address()
            .encapsulate(Multiaddr.parse("/p2p/" + PrivateKey.generate(random).peerId()));
        CompletableFuture<Connection> dial = node(PrivateKey.generate(random)).dial(wrong);
        assertThrows(ExecutionException.class, () -> dial.get(10, TimeUnit.SECONDS));
        listener.close().sync();
    }

    static byte[] echo(Connection connection, String protocol, byte[] payload) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        MuxedStream stream = connection.openStream(protocol, (ctx, p) ->
            ctx.pipeline().addAfter(ctx.name(), "collect", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    received.writeBytes(ByteBufUtil.getBytes(buf));
                    buf.release();
                    if (received.size() >= payload.length) {
                        all.complete(received.toByteArray());
                    }
                }
            })).get(10, TimeUnit.SECONDS);
        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
        byte[] echoed = all.get(60, TimeUnit.SECONDS);
        stream.close();
        return echoed;
    }
}
