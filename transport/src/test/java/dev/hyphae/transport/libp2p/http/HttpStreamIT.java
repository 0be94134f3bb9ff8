package dev.hyphae.transport.libp2p.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.NoLeaks;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
class HttpStreamIT {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final int MAX_BODY = 1024;

    private final SecureRandom random = new SecureRandom();
    private final List<Libp2pHost> hosts = new ArrayList<>();

    @AfterEach
    void closeHosts() {
        hosts.forEach(Libp2pHost::close);
    }

    /** A server that answers every request with its method, URI, body and the peer it came from. */
    private Libp2pHost server() throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random),
            HostConfig.defaults(List.of(LOOPBACK), List.of()), random, Clock.systemUTC());
        hosts.add(host);
        host.registerProtocol(HttpProtocol.ID, new HttpStreamServer(MAX_BODY, Duration.ofSeconds(2),
            stream -> new Echo(host.remotePeerOf(stream).map(Object::toString).orElse("?"))));
        host.start();
        return host;
    }

    private Libp2pHost client() throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random),
            HostConfig.defaults(List.of(LOOPBACK), List.of()), random, Clock.systemUTC());
        hosts.add(host);
        host.start();
        return host;
    }

    private static FullHttpRequest post(String uri, byte[] body) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri, Unpooled.wrappedBuffer(body));
    }

    private static int status(FullHttpResponse response) {
        int status = response.status().code();
        response.release();
        return status;
    }

    private static String text(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void requestOnAStreamReachesTheServerHandlerAndTheResponseComesBack() throws Exception {
        Libp2pHost b = server();
        Libp2pHost a = client();
        Connection toB = a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        HttpStreamClient http = new HttpStreamClient(Duration.ofSeconds(5), 4096);

        FullHttpResponse response = http.send(toB, post("/x?y=1", "hello".getBytes(StandardCharsets.UTF_8)))
            .get(10, TimeUnit.SECONDS);

        assertEquals(200, response.status().code());
        assertEquals("POST /x?y=1 hello from " + a.peerId(), text(response));
    }

    @Test
    void oversizedBodyIsAnswered413AndTheHostKeepsServing() throws Exception {
        Libp2pHost b = server();
        Libp2pHost a = client();
        Connection toB = a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        HttpStreamClient http = new HttpStreamClient(Duration.ofSeconds(5), 4096);

        FullHttpResponse tooLarge = http.send(toB, post("/big", new byte[MAX_BODY + 1])).get(10, TimeUnit.SECONDS);
        int status = tooLarge.status().code();
        tooLarge.release();

        assertEquals(413, status);
        assertTrue(toB.channel().isActive(), "the connection survives");
        assertEquals(200, status(http.send(toB, post("/after", new byte[0])).get(10, TimeUnit.SECONDS)));
    }

    @Test
    void garbageOnAStreamEndsThatStreamOnly() throws Exception {
        Libp2pHost b = server();
        Libp2pHost a = client();
        Connection toB = a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        MuxedStream raw = toB.openStream(HttpProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "sink",
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext c, Object msg) {
                    ByteBuf data = (ByteBuf) msg;
                    synchronized (received) {
                        received.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(data));
                    }
                    data.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                    if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                        ended.complete(null);
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext c) {
                    ended.complete(null);
                }
            })).get(10, TimeUnit.SECONDS);

        raw.writeAndFlush(Unpooled.copiedBuffer("\u0001\u0002 NOT HTTP AT ALL\r\n\r\n", StandardCharsets.ISO_8859_1));

        ended.get(10, TimeUnit.SECONDS);
        raw.close();
        String answer;
        synchronized (received) {
            answer = received.toString(StandardCharsets.ISO_8859_1);
        }
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(toB.channel().isActive(), "the connection survives");
        HttpStreamClient http = new HttpStreamClient(Duration.ofSeconds(5), 4096);
        assertEquals(200, status(http.send(toB, post("/after", new byte[0])).get(10, TimeUnit.SECONDS)));
    }

    @Test
    void responseLargerThanTheLimitFailsTheExchange() throws Exception {
        Libp2pHost b = server();
        Libp2pHost a = client();
        Connection toB = a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        HttpStreamClient http = new HttpStreamClient(Duration.ofSeconds(5), 16);

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> http.send(toB, post("/x", new byte[64])).get(10, TimeUnit.SECONDS));

        assertInstanceOf(HttpStreamException.class, e.getCause());
    }

    @Test
    void peerWithoutTheProtocolFailsTheExchange() throws Exception {
        Libp2pHost b = client();
        Libp2pHost a = client();
        Connection toB = a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        HttpStreamClient http = new HttpStreamClient(Duration.ofSeconds(5), 4096);

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> http.send(toB, post("/x", new byte[0])).get(10, TimeUnit.SECONDS));

        assertInstanceOf(HttpStreamException.class, e.getCause());
    }

    @Test
    void serverThatNeverAnswersTimesOut() throws Exception {
        Libp2pHost b = new Libp2pHost(PrivateKey.generate(random),
            HostConfig.defaults(List.of(LOOPBACK), List.of()), random, Clock.systemUTC());
        hosts.add(b);
        CompletableFuture<Void> seen = new CompletableFuture<>();
        b.registerProtocol(HttpProtocol.ID, new HttpStreamServer(MAX_BODY, Duration.ofSeconds(30),
            stream -> new SimpleChannelInboundHandler<FullHttpRequest>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                    seen.complete(null);
                }
            }));
        b.start();
        Libp2pHost a = client();
        Connection toB = a.dial(b.addresses().get(0)).get(10, TimeUnit.SECONDS);
        HttpStreamClient http = new HttpStreamClient(Duration.ofMillis(500), 4096);

        CompletableFuture<FullHttpResponse> exchange = http.send(toB, post("/silent", new byte[0]));
        ExecutionException e = assertThrows(ExecutionException.class, () -> exchange.get(10, TimeUnit.SECONDS));

        assertInstanceOf(HttpStreamException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("no response"), e.getCause().getMessage());
    }

    /** Answers {@code <method> <uri> <body> from <peer>}, then ends the stream; 400 for malformed requests. */
    private static final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String peer;

        Echo(String peer) {
            this.peer = peer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (request.decoderResult().isFailure()) {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
            } else {
                String text = request.method() + " " + request.uri() + " "
                    + request.content().toString(StandardCharsets.UTF_8) + " from " + peer;
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
