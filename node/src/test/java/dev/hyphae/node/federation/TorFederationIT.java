package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.tor.PrivateTorNetwork;
import dev.hyphae.transport.tor.TorAvailable;
import dev.hyphae.transport.tor.TorConfig;
import dev.hyphae.transport.tor.TorHttpClient;
import dev.hyphae.transport.tor.TorHttpResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two in-process nodes whose libp2p hosts never start, so federation can only travel over their
 * onion services on a private Tor network: B calls A's version endpoint and a signed route.
 */
@Tag("tor")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TorFederationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(150);
    private static final FederationSettings SETTINGS = FederationSettings.defaults()
            .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(5));

    private static final List<AutoCloseable> started = new ArrayList<>();
    private static PrivateTorNetwork network;
    private static TestNode a;
    private static TestNode b;

    private record TestNode(NodeIdentity identity, FederationStack federation, TorCarrier tor,
            CarrierFederationClient carriers) {
        String serverName() {
            return identity.serverName();
        }
    }

    @BeforeAll
    static void startNetworkAndNodes() throws Exception {
        TorAvailable.assumeTor();
        long began = System.nanoTime();
        network = PrivateTorNetwork.start();
        started.add(network);
        long networkUp = System.nanoTime();
        a = node("a", routes -> routes.add(Method.PUT, "/_matrix/federation/v1/send/{txnId}", (origin, request) -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("origin", origin);
            body.put("txn", request.pathParameter("txnId"));
            body.set("got", request.json());
            return MatrixResponse.ok(body);
        }));
        b = node("b", routes -> { });
        System.out.printf("tor federation timings: network up %d ms, both nodes bootstrapped and published %d ms%n",
                millis(networkUp - began), millis(System.nanoTime() - networkUp));
    }

    private static TestNode node(String name, Consumer<FederationRoutes> endpoints) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        NodeIdentity identity = NodeIdentity.fromSeed(seed);
        // Never started: this node has no libp2p carrier.
        Libp2pHost host = new Libp2pHost(PrivateKey.fromSeed(identity.seed()),
                HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of()), new SecureRandom(),
                Clock.systemUTC());
        started.add(host);
        FederationStack federation = new FederationStack(identity, host, new OnionServerKeys(), List.of(), SETTINGS,
                "test", Clock.systemUTC());
        started.add(federation);
        endpoints.accept(federation.routes());
        TorConfig config = TorConfig.defaults(network.directory().resolve("node-" + name).resolve("tor"))
                .withExtraTorrcLines(network.clientTorrcLines())
                .withRestartDelays(Duration.ofMillis(500), Duration.ofSeconds(5));
        TorCarrier tor = TorCarrier.start(identity, federation, config, status -> { }, Duration.ofSeconds(90));
        started.add(tor);
        CarrierFederationClient carriers = CarrierFederationClient.libp2pThenTor(null, tor.client());
        federation.useClient(carriers);
        return new TestNode(identity, federation, tor, carriers);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("stopping " + started.get(i) + " failed: " + e);
            }
        }
    }

    @Test
    @Order(1)
    void theOnionServiceIsPublishedAtTheServerName() {
        assertEquals(a.serverName(), a.tor().onionAddress());
        assertEquals(b.serverName(), b.tor().onionAddress());
    }

    @Test
    @Order(2)
    void bReachesTheVersionEndpointOfAOverTheOnionServiceOnly() throws Exception {
        long began = System.nanoTime();
        JsonNode version = withRetry(() -> b.federation().client().request(
                FederationRequest.get(a.serverName(), "/_matrix/federation/v1/version")));
        System.out.printf("tor federation: first answer after %d ms%n", millis(System.nanoTime() - began));

        assertEquals("Hyphae", version.get("server").get("name").asText());
        CarrierCounters counters = b.carriers().carriers().get(0).counters();
        assertEquals(CarrierFederationClient.TOR, counters.carrier());
        assertTrue(counters.successes() >= 1, counters.toString());
    }

    @Test
    @Order(3)
    void aSignedRequestFromBReachesARouteOnAThatSeesOriginB() throws Exception {
        ObjectNode txn = JSON.createObjectNode();
        txn.putArray("pdus");

        long start = System.nanoTime();
        JsonNode answer = withRetry(() -> b.federation().client().request(
                FederationRequest.put(a.serverName(), "/_matrix/federation/v1/send/t%201", txn)));
        System.out.printf("tor federation: signed PUT answered in %d ms%n", millis(System.nanoTime() - start));

        assertEquals(b.serverName(), answer.get("origin").asText());
        assertEquals("t 1", answer.get("txn").asText());
        assertEquals(txn, answer.get("got"));
    }

    @Test
    @Order(4)
    void aRequestWhoseSignatureDoesNotMatchItsBodyIsAnswered401OverTor() throws Exception {
        String uri = "/_matrix/federation/v1/send/forged";
        String header = new XMatrixSigner(b.serverName(), b.identity().signingKey())
                .authorization("PUT", uri, a.serverName(), JSON.readTree("{\"pdus\":[]}"));
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            TorHttpClient raw = TorHttpClient.over(b.tor().tor(), group);
            TorHttpResponse response = withRetry(() -> {
                FullHttpRequest forged = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, uri,
                        Unpooled.copiedBuffer("{\"pdus\":[1]}", StandardCharsets.UTF_8));
                forged.headers().set(HttpHeaderNames.AUTHORIZATION, header);
                forged.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                return raw.send(a.serverName(), forged);
            });

            assertEquals(401, response.status());
            assertEquals("M_UNAUTHORIZED", JSON.readTree(response.body()).get("errcode").asText());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Onion services take a while to become reachable (descriptor propagation, circuits): retry unreachable. */
    private static <T> T withRetry(Supplier<CompletableFuture<T>> call) throws Exception {
        long deadline = System.nanoTime() + REACH_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return call.get().get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e.getCause() instanceof FederationException failure && !failure.unreachable()) {
                    throw failure;
                }
                last = e;
                Thread.sleep(1000);
            }
        }
        throw new AssertionError("B could not reach A over Tor within " + REACH_TIMEOUT.toSeconds() + " s; last error: "
                + last + "\ntor A:\n" + a.tor().tor().lastOutput() + "\ntor B:\n" + b.tor().tor().lastOutput(), last);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
