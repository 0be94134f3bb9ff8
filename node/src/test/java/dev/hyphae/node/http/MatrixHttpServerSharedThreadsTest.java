package dev.hyphae.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several servers of one process on one borrowed event loop group and handler pool. */
class MatrixHttpServerSharedThreadsTest {
    private final EventLoopGroup loops = new NioEventLoopGroup(1);
    private final ExecutorService handlers = Executors.newFixedThreadPool(2);
    private MatrixHttpServer first;
    private MatrixHttpServer second;

    @AfterEach
    void stop() {
        for (MatrixHttpServer server : new MatrixHttpServer[] {first, second}) {
            if (server != null) {
                server.close();
            }
        }
        handlers.shutdownNow();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private MatrixHttpServer server(String name) {
        RouteTable routes = new RouteTable().add(Method.GET, "/_matrix/client/v3/name", Authentication.NONE,
                request -> MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("name", name)));
        return new MatrixHttpServer(HttpSettings.defaults().withAddress("127.0.0.1", 0), routes, token -> {
            throw MatrixException.unknownToken("no tokens here", false);
        }, loops, handlers);
    }

    @Test
    void serversOnSharedThreadsServeApartAndClosingOneEndsOnlyItsConnections() throws IOException {
        first = server("first");
        second = server("second");
        InetSocketAddress firstAddress = first.start();
        InetSocketAddress secondAddress = second.start();

        try (Socket toFirst = new Socket(firstAddress.getAddress(), firstAddress.getPort());
                Socket toSecond = new Socket(secondAddress.getAddress(), secondAddress.getPort())) {
            toFirst.setSoTimeout(30_000);
            toSecond.setSoTimeout(30_000);
            assertTrue(exchange(toFirst).contains("\"first\""));
            assertTrue(exchange(toSecond).contains("\"second\""));

            first.close();

            assertEquals(-1, toFirst.getInputStream().read(), "the closed server's connection stayed open");
            assertFalse(loops.isShuttingDown(), "closing one server shut the shared event loops down");
            assertFalse(handlers.isShutdown(), "closing one server shut the shared handlers down");
            assertTrue(exchange(toSecond).contains("\"second\""));
        }
    }

    /** One keep-alive request on {@code socket}; returns the response up to the end of its JSON body. */
    private static String exchange(Socket socket) throws IOException {
        socket.getOutputStream().write(("GET /_matrix/client/v3/name HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (response.indexOf("}") < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            response.append((char) b);
        }
        return response.toString();
    }
}
