package dev.hyphae.transport.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two node-like tors on a private Tor network: A publishes an onion service from a fixed key, B
 * reaches it through its SOCKS port; A's tor is killed and comes back with the service.
 */
@Tag("tor")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnionServiceIT {
    private static final OnionKeys KEYS_A = OnionKeys.fixed(42);
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(150);

    private static PrivateTorNetwork network;
    private static NioEventLoopGroup group;
    private static TorProcess torA;
    private static TorProcess torB;
    private static OnionServiceListener listenerA;
    private static OnionService serviceA;
    private static TorHttpClient clientB;

    @BeforeAll
    static void startNetworkAndNodes() {
        TorAvailable.assumeTor();
        long began = System.nanoTime();
        network = PrivateTorNetwork.start();
        long networkUp = System.nanoTime();
        group = new NioEventLoopGroup(2);
        torA = TorProcess.start(nodeConfig("a"), status -> { });
        torB = TorProcess.start(nodeConfig("b"), status -> { });
        torA.awaitBootstrapped(Duration.ofSeconds(90));
        torB.awaitBootstrapped(Duration.ofSeconds(90));
        long bootstrapped = System.nanoTime();
        listenerA = OnionServiceListener.bind(group, group, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Answer("a"));
            }
        });
        serviceA = OnionService.publish(torA, KEYS_A.expandedSecretKey(), KEYS_A.address(), listenerA.localAddress(),
            Duration.ofSeconds(90));
        long published = System.nanoTime();
        clientB = TorHttpClient.over(torB, group);
        System.out.printf("tor timings: network up %d ms, node tors bootstrapped %d ms, service published %d ms%n",
            millis(networkUp - began), millis(bootstrapped - networkUp), millis(published - bootstrapped));
    }

    private static TorConfig nodeConfig(String name) {
        return TorConfig.defaults(network.directory().resolve("node-" + name).resolve("tor"))
            .withExtraTorrcLines(network.clientTorrcLines())
            .withRestartDelays(Duration.ofMillis(500), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopEverything() {
        if (serviceA != null) {
            serviceA.close();
        }
        if (listenerA != null) {
            listenerA.close();
        }
        if (torA != null) {
            torA.close();
        }
        if (torB != null) {
            torB.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void theOnionAddressIsTheOneOfTheNodesKey() {
        assertEquals(KEYS_A.address(), serviceA.address());
    }

    @Test
    @Order(2)
    void bFetchesAnAnswerFromAOverTheOnionService() throws Exception {
        long began = System.nanoTime();
        TorHttpResponse first = fetchWithRetry("/_matrix/federation/v1/version", REACH_TIMEOUT);
        System.out.printf("tor: first answer over the onion service after %d ms%n", millis(System.nanoTime() - began));

        assertEquals(200, first.status());
        assertEquals("{\"server\":\"a\",\"path\":\"/_matrix/federation/v1/version\",\"host\":\"" + KEYS_A.address() + "\"}",
            first.bodyText());

        List<Long> roundTrips = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            TorHttpResponse response = clientB.send(KEYS_A.address(), get("/ping/" + i)).get(60, TimeUnit.SECONDS);
            roundTrips.add(System.nanoTime() - start);
            assertEquals(200, response.status());
            assertTrue(response.bodyText().contains("/ping/" + i), response.bodyText());
        }
        Collections.sort(roundTrips);
        System.out.printf("tor: small request round trip over the onion service (new SOCKS stream each, n=%d):"
                + " min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms%n", roundTrips.size(),
            roundTrips.get(0) / 1e6, roundTrips.get(roundTrips.size() / 2) / 1e6,
            roundTrips.get(roundTrips.size() * 9 / 10) / 1e6, roundTrips.get(roundTrips.size() - 1) / 1e6);
    }

    @Test
    @Order(3)
    void aKilledTorIsRestartedAndTheServicePublishedAgain() throws Exception {
        fetchWithRetry("/before-kill", REACH_TIMEOUT);
        long killedPid = torA.pid();
        int generation = torA.generation();

        long began = System.nanoTime();
        ProcessHandle.of(killedPid).orElseThrow().destroyForcibly();
        ProcessHandle.of(killedPid).ifPresent(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (torA.generation() == generation) {
            assertTrue(System.nanoTime() < deadline, "tor A was not restarted");
            Thread.sleep(100);
        }
        serviceA.awaitPublished(Duration.ofSeconds(90));
        long republished = System.nanoTime();
        // B may hold A's old descriptor with intro points that are gone: NEWNYM makes it fetch the new one
        torB.session().control.signal("NEWNYM");
        TorHttpResponse answer = fetchWithRetry("/after-restart", REACH_TIMEOUT);
        System.out.printf("tor: after SIGKILL of A's tor: republished in %d ms, reachable again after %d ms%n",
            millis(republished - began), millis(System.nanoTime() - began));

        assertTrue(torA.pid() != killedPid);
        assertEquals(200, answer.status());
        assertTrue(answer.bodyText().contains("/after-restart"), answer.bodyText());
    }

    /** Onion services take a while to become reachable (descriptor propagation, circuits): retry. */
    private static TorHttpResponse fetchWithRetry(String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return clientB.send(KEYS_A.address(), get(path)).get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw new AssertionError("B could not reach A's onion service within " + timeout.toSeconds() + " s; last error: "
            + last + "\ntor A:\n" + torA.lastOutput() + "\ntor B:\n" + torB.lastOutput(), last);
    }

    private static FullHttpRequest get(String path) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Answers every request with who answered, the path and the Host header. */
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String server;

        Answer(String server) {
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            String body = "{\"server\":\"" + server + "\",\"path\":\"" + request.uri() + "\",\"host\":\""
                + request.headers().get(HttpHeaderNames.HOST) + "\"}";
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
