package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a fake SOCKS5 proxy on loopback that plays tor and the onion service. */
class TorHttpClientTest {
    private static final String ONION = OnionKeys.fixed(3).address();

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private ServerSocket proxy;
    private final CompletableFuture<String> connectTarget = new CompletableFuture<>();
    private final CompletableFuture<String> requestHead = new CompletableFuture<>();

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Accepts one SOCKS5 CONNECT, answers {@code reply}; on success answers HTTP with {@code httpAnswer} (null: silence). */
    private TorHttpClient clientThroughFakeTor(int reply, String httpAnswer, Duration responseTimeout) throws IOException {
        proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = proxy.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                int methods = in.readUnsignedByte() == 5 ? in.readUnsignedByte() : -1;
                in.readFully(new byte[methods]);
                out.write(new byte[] {5, 0});
                byte[] head = new byte[4];
                in.readFully(head);
                byte[] host = new byte[in.readUnsignedByte()];
                in.readFully(host);
                int port = in.readUnsignedShort();
                connectTarget.complete("atyp=" + head[3] + " " + new String(host, StandardCharsets.US_ASCII) + ":" + port);
                out.write(new byte[] {5, (byte) reply, 0, 1, 0, 0, 0, 0, 0, 0});
                out.flush();
                if (reply != 0) {
                    return;
                }
                requestHead.complete(readHead(in));
                if (httpAnswer != null) {
                    out.write(httpAnswer.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else {
                    Thread.sleep(10_000);
                }
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
        thread.setDaemon(true);
        thread.start();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getLocalPort());
        return new TorHttpClient(group, () -> address, Duration.ofSeconds(5), responseTimeout, 1024);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static DefaultFullHttpRequest get(String path) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    }

    @Test
    void theOnionNameGoesToTorUnresolvedWithPort80AndTheAnswerComesBack() throws Exception {
        TorHttpClient client = clientThroughFakeTor(0,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}",
            Duration.ofSeconds(5));

        TorHttpResponse response = client.send(ONION, get("/_matrix/key/v2/server")).get(10, TimeUnit.SECONDS);

        assertEquals(200, response.status());
        assertEquals("{\"ok\":true}", response.bodyText());
        assertEquals("application/json", response.headers().get("Content-Type"));
        assertEquals("atyp=3 " + ONION + ":80", connectTarget.get(5, TimeUnit.SECONDS));
        String head = requestHead.get(5, TimeUnit.SECONDS);
        assertTrue(head.startsWith("GET /_matrix/key/v2/server HTTP/1.1\r\n"), head);
        assertTrue(head.contains("host: " + ONION + "\r\n"), head);
    }

    @Test
    void anOfflineOnionServiceIsReportedInTorsWords() throws Exception {
        TorHttpClient client = clientThroughFakeTor(0xF0, null, Duration.ofSeconds(5));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.send(ONION, get("/")).get(10, TimeUnit.SECONDS));

        assertInstanceOf(TorException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("descriptor can not be found"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains(ONION), e.getCause().getMessage());
    }

    @Test
    void aServiceThatNeverAnswersTimesOut() throws Exception {
        TorHttpClient client = clientThroughFakeTor(0, null, Duration.ofMillis(300));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.send(ONION, get("/")).get(15, TimeUnit.SECONDS));

        assertTrue(e.getCause().getMessage().contains("no response from " + ONION), e.getCause().getMessage());
    }

    @Test
    void aResponseLargerThanTheLimitFails() throws Exception {
        TorHttpClient client = clientThroughFakeTor(0,
            "HTTP/1.1 200 OK\r\nContent-Length: 2048\r\nConnection: close\r\n\r\n" + "x".repeat(2048), Duration.ofSeconds(5));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.send(ONION, get("/")).get(10, TimeUnit.SECONDS));

        assertInstanceOf(TorException.class, e.getCause());
    }

    @Test
    void aNameThatIsNotAnOnionAddressIsRefusedWithoutConnecting() throws Exception {
        TorHttpClient client = clientThroughFakeTor(0, null, Duration.ofSeconds(1));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.send("matrix.org", get("/")).get(5, TimeUnit.SECONDS));

        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(!connectTarget.isDone());
    }

    @Test
    void torsExtendedSocksRepliesAreNamed() {
        assertTrue(TorHttpClient.socksFailure("socks5, none, /127.0.0.1:9050 => x.onion:80, status: UNKNOWN(242)")
            .startsWith("onion service introduction failed (SOCKS5 reply 0xf2)"));
        assertEquals("something else", TorHttpClient.socksFailure("something else"));
    }
}
