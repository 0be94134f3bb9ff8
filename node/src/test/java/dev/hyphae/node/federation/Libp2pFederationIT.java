package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.VerifyKey;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.http.HttpStreamClient;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Federation between in-process nodes whose libp2p hosts listen on 127.0.0.1. */
class Libp2pFederationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    private static final FederationSettings SETTINGS = FederationSettings.defaults()
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(5))
            .withBodyLimits(4096, 1 << 20);

    private final SecureRandom random = new SecureRandom();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    /** One node: identity, host, federation stack; {@code endpoints} adds routes before the host starts. */
    private record TestNode(NodeIdentity identity, Libp2pHost host, FederationStack federation) {
        String serverName() {
            return identity.serverName();
        }
    }

    private TestNode node(List<Multiaddr> bootstrap, Consumer<FederationRoutes> endpoints) throws Exception {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        NodeIdentity identity = NodeIdentity.fromSeed(seed);
        Libp2pHost host = new Libp2pHost(PrivateKey.fromSeed(identity.seed()),
                HostConfig.defaults(List.of(LOOPBACK), bootstrap), random, Clock.systemUTC());
        started.add(host);
        FederationStack federation = new FederationStack(identity, host, new OnionServerKeys(), List.of(), SETTINGS,
                "test", Clock.systemUTC());
        started.add(federation);
        endpoints.accept(federation.routes());
        host.start();
        return new TestNode(identity, host, federation);
    }

    private TestNode node(Consumer<FederationRoutes> endpoints) throws Exception {
        return node(List.of(), endpoints);
    }

    /** A route that answers with the origin it was called by and the body it got. */
    private static void whoami(FederationRoutes routes) {
        routes.add(Method.PUT, "/_matrix/federation/v1/send/{txnId}", (origin, request) -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("origin", origin);
            body.put("txn", request.pathParameter("txnId"));
            body.set("got", request.json());
            return MatrixResponse.ok(body);
        });
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void signedRequestFromAReachesARouteOnBThatSeesOriginA() throws Exception {
        TestNode b = node(Libp2pFederationIT::whoami);
        TestNode a = node(routes -> { });
        a.host().dial(b.host().addresses().get(0)).get(10, TimeUnit.SECONDS);
        ObjectNode txn = JSON.createObjectNode();
        txn.putArray("pdus");

        JsonNode answer = await(a.federation().client().request(
                FederationRequest.put(b.serverName(), "/_matrix/federation/v1/send/t%201", txn)));

        assertEquals(a.serverName(), answer.get("origin").asText());
        assertEquals("t 1", answer.get("txn").asText());
        assertEquals(txn, answer.get("got"));
    }

    @Test
    void serverKeysAreSignedByTheKeyTheServerNameStandsFor() throws Exception {
        TestNode b = node(routes -> { });
        TestNode a = node(routes -> { });
        a.host().dial(b.host().addresses().get(0)).get(10, TimeUnit.SECONDS);

        JsonNode keys = await(a.federation().client().request(FederationRequest.get(b.serverName(), "/_matrix/key/v2/server")));
        JsonNode version = await(a.federation().client().request(
                FederationRequest.get(b.serverName(), "/_matrix/federation/v1/version")));

        assertEquals(b.serverName(), keys.get("server_name").asText());
        assertTrue(keys.get("valid_until_ts").asLong() > System.currentTimeMillis());
        VerifyKey fromName = new OnionServerKeys().find(b.serverName(), b.identity().keyId()).orElseThrow().key();
        assertEquals(fromName.publicKeyBase64(), keys.get("verify_keys").get(b.identity().keyId()).get("key").asText());
        assertTrue(JsonSigning.verify((ObjectNode) keys, b.serverName(), fromName).valid());
        assertEquals("Hyphae", version.get("server").get("name").asText());
    }

    @Test
    void badSignatureIsAnswered401AndTheClientSeesTheErrcode() throws Exception {
        TestNode b = node(Libp2pFederationIT::whoami);
        TestNode a = node(routes -> { });
        Connection toB = a.host().dial(b.host().addresses().get(0)).get(10, TimeUnit.SECONDS);
        String uri = "/_matrix/federation/v1/send/t1";
        String header = new XMatrixSigner(a.serverName(), a.identity().signingKey())
                .authorization("PUT", uri, b.serverName(), JSON.readTree("{\"pdus\":[]}"));
        FullHttpRequest forged = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, uri,
                Unpooled.copiedBuffer("{\"pdus\":[1]}", StandardCharsets.UTF_8));
        forged.headers().set(HttpHeaderNames.AUTHORIZATION, header);

        FullHttpResponse response = await(new HttpStreamClient(Duration.ofSeconds(10), 4096).send(toB, forged));
        int status = response.status().code();
        JsonNode body = JSON.readTree(response.content().toString(StandardCharsets.UTF_8));
        response.release();

        assertEquals(401, status);
        assertEquals("M_UNAUTHORIZED", body.get("errcode").asText());
    }

    @Test
    void unknownRouteIsAnsweredAndMappedToFederationException() throws Exception {
        TestNode b = node(routes -> { });
        TestNode a = node(routes -> { });
        a.host().dial(b.host().addresses().get(0)).get(10, TimeUnit.SECONDS);

        ExecutionException e = assertThrows(ExecutionException.class, () -> await(a.federation().client().request(
                FederationRequest.get(b.serverName(), "/_matrix/federation/v1/nothing"))));

        FederationException failure = assertInstanceOf(FederationException.class, e.getCause());
        assertFalse(failure.unreachable());
        assertEquals(404, failure.status());
        assertEquals("M_UNRECOGNIZED", failure.errcode());
    }

    @Test
    void unknownUnreachableServerFailsAsUnreachableWithinTheRouteTimeout() throws Exception {
        TestNode a = node(routes -> { });
        String nobody = NodeIdentity.fromSeed(new byte[32]).serverName();

        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(a.federation().client().request(
                FederationRequest.get(nobody, "/_matrix/federation/v1/version"))));
        long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        FederationException failure = assertInstanceOf(FederationException.class, e.getCause());
        assertTrue(failure.unreachable(), failure.getMessage());
        assertEquals(nobody, failure.destination());
        assertTrue(took < 30, "bounded by the route timeout, took " + took + " s");
    }

    @Test
    void serverNameThatIsNotAnOnionAddressFailsAsUnreachableWithTheReason() throws Exception {
        TestNode a = node(routes -> { });

        ExecutionException e = assertThrows(ExecutionException.class, () -> await(a.federation().client().request(
                FederationRequest.get("matrix.org", "/_matrix/federation/v1/version"))));

        FederationException failure = assertInstanceOf(FederationException.class, e.getCause());
        assertTrue(failure.unreachable());
        assertTrue(failure.getMessage().contains("onion"), failure.getMessage());
    }

    @Test
    void requestReachesANodeFoundOnlyThroughTheDhtOfABootstrapNode() throws Exception {
        TestNode b = node(routes -> { });
        TestNode c = node(List.of(b.host().addresses().get(0)), Libp2pFederationIT::whoami);
        await(c.host().bootstrapped());
        // A only meets B: bootstrapping would look A up and so meet C through the DHT before the request.
        TestNode a = node(routes -> { });
        a.host().dial(b.host().addresses().get(0)).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 200 && a.host().dht().routingTable().find(b.host().peerId()).isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertTrue(a.host().connection(c.host().peerId()).isEmpty(), "A has not met C");
        assertTrue(a.host().peerStore().get(c.host().peerId()).isEmpty(), "A was never told C's address");

        JsonNode answer = await(a.federation().client().request(FederationRequest.put(c.serverName(),
                "/_matrix/federation/v1/send/viaDht", JSON.createObjectNode())));

        assertEquals(a.serverName(), answer.get("origin").asText());
    }

    @Test
    void oversizedAndGarbageRequestsEndTheirStreamsAndTheNodeKeepsServing() throws Exception {
        TestNode b = node(Libp2pFederationIT::whoami);
        TestNode a = node(routes -> { });
        Connection toB = a.host().dial(b.host().addresses().get(0)).get(10, TimeUnit.SECONDS);

        ObjectNode huge = JSON.createObjectNode();
        huge.put("padding", "x".repeat(SETTINGS.maxRequestBodyBytes()));
        ExecutionException tooLarge = assertThrows(ExecutionException.class, () -> await(a.federation().client()
                .request(FederationRequest.put(b.serverName(), "/_matrix/federation/v1/send/big", huge))));
        assertEquals(413, ((FederationException) tooLarge.getCause()).status());

        FullHttpRequest garbage = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT,
                "/_matrix/federation/v1/send/x", Unpooled.copiedBuffer("{not json", StandardCharsets.UTF_8));
        garbage.headers().set(HttpHeaderNames.AUTHORIZATION, "X-Matrix garbage");
        FullHttpResponse refused = await(new HttpStreamClient(Duration.ofSeconds(10), 4096).send(toB, garbage));
        int status = refused.status().code();
        refused.release();
        assertEquals(401, status);

        assertTrue(toB.channel().isActive(), "the connection survives");
        JsonNode answer = await(a.federation().client().request(FederationRequest.put(b.serverName(),
                "/_matrix/federation/v1/send/after", JSON.createObjectNode())));
        assertEquals(a.serverName(), answer.get("origin").asText());
    }
}
