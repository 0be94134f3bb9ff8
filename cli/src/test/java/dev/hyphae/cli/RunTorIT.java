package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.federation.Libp2pFederationClient;
import dev.hyphae.node.federation.XMatrixSigner;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.http.HttpStreamClient;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.router.Router;
import dev.hyphae.transport.tor.PrivateTorNetwork;
import dev.hyphae.transport.tor.TorAvailable;
import dev.hyphae.transport.tor.TorConfig;
import dev.hyphae.transport.tor.TorHttpClient;
import dev.hyphae.transport.tor.TorHttpResponse;
import dev.hyphae.transport.tor.TorProcess;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code hyphae run} on a private Tor network: with {@code --no-libp2p} the node prints tor's
 * bootstrap progress and its onion service, and serves federation there; with libp2p and Tor, a
 * {@code tor-only} room's traffic takes Tor only. The tests share one network, as starting one
 * takes minutes.
 */
@Tag("tor")
class RunTorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static PrivateTorNetwork network;

    @BeforeAll
    static void startNetwork() throws Exception {
        TorAvailable.assumeTor();
        dir = Files.createTempDirectory(Path.of("/tmp"), "hyphae-run-tor-");
        network = PrivateTorNetwork.start();
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (network != null) {
            network.close();
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code hyphae run} arguments for a node reachable over its onion service only. */
    private static List<String> onionOnly() {
        List<String> args = new ArrayList<>(List.of("--tor", "--no-libp2p"));
        network.clientTorrcLines().forEach(line -> {
            args.add("--torrc-line");
            args.add(line);
        });
        return args;
    }

    @Test
    void anOnionOnlyNodeServesFederationAtItsServerNameOverTor() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try (NodeProcess node = new NodeProcess(dir.resolve("a"), onionOnly()).start();
                TorProcess client = TorProcess.start(TorConfig.defaults(dir.resolve("client-tor"))
                        .withExtraTorrcLines(network.clientTorrcLines()), status -> { })) {
            String output = node.output();
            assertTrue(output.contains("tor: bootstrapped 100%"), output);
            assertTrue(output.contains("onion service:  " + node.serverName() + " (published)"), output);
            assertTrue(output.contains("p2p:            off"), output);

            client.awaitBootstrapped(Duration.ofSeconds(90));
            TorHttpClient http = TorHttpClient.over(client, group);
            JsonNode version = JSON.readTree(get(http, node.serverName(), "/_matrix/federation/v1/version").body());
            JsonNode keys = JSON.readTree(get(http, node.serverName(), "/_matrix/key/v2/server").body());

            assertEquals("Hyphae", version.get("server").get("name").asText());
            assertEquals(node.serverName(), keys.get("server_name").asText());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void twoOnionOnlyNodesShareARoomAndConverseBothWays() throws Exception {
        try (NodeProcess a = new NodeProcess(dir.resolve("conv-a"), onionOnly()).start();
                NodeProcess b = new NodeProcess(dir.resolve("conv-b"), onionOnly()).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            String roomId = alice.createRoom(JSON.createObjectNode().put("name", "over onions"));
            // The invite reaches B over A's tor, once B's onion service is reachable.
            MatrixTestClient.eventually(Duration.ofSeconds(180), () -> {
                alice.invite(roomId, bob.userId());
                return true;
            });
            MatrixTestClient.eventually(Duration.ofSeconds(180), () -> {
                bob.join(roomId, a.serverName());
                return true;
            });
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                alice.sendText(roomId, "onion from alice " + i);
                expected.add("onion from alice " + i);
                assertEquals(expected, bob.textsOnceAtLeast(roomId, expected.size(), Duration.ofSeconds(120)));
                bob.sendText(roomId, "onion from bob " + i);
                expected.add("onion from bob " + i);
                assertEquals(expected, alice.textsOnceAtLeast(roomId, expected.size(), Duration.ofSeconds(120)));
            }
            assertTrue(a.output().contains("p2p:            off"));
            assertTrue(b.output().contains("p2p:            off"));
        }
    }

    /**
     * The matrix-nio exchange of {@link CrossNodeNioIT} with one user on each of two nodes that
     * reach each other over onion services only: encrypted room, messages decrypted both ways, an
     * encrypted file fetched from A by B and decrypted.
     */
    @Test
    void matrixNioUsersOnTwoOnionOnlyNodesExchangeEncryptedMessagesAndFiles() throws Exception {
        ClientProcess client;
        try (NodeProcess a = new NodeProcess(dir.resolve("nio-a"), onionOnly()).start();
                NodeProcess b = new NodeProcess(dir.resolve("nio-b"), onionOnly()).start()) {
            // nio's steps do not retry: first wait until each node reaches the other's onion service.
            MatrixTestClient carol = new MatrixTestClient(a.url()).register("carol", "carol password");
            MatrixTestClient dave = new MatrixTestClient(b.url()).register("dave", "dave password");
            String roomId = carol.createRoom(JSON.createObjectNode().put("name", "reachability"));
            MatrixTestClient.eventually(Duration.ofSeconds(240), () -> {
                carol.invite(roomId, dave.userId());
                return true;
            });
            MatrixTestClient.eventually(Duration.ofSeconds(240), () -> {
                dave.join(roomId, a.serverName());
                return true;
            });
            dave.sendText(roomId, "reachable");
            assertEquals(List.of("reachable"), carol.textsOnceAtLeast(roomId, 1, Duration.ofSeconds(180)));
            // Each step crosses Tor up to a few times: 150 s per step, 600 s in all.
            client = ClientProcess.run(MatrixNioIT.PROJECT, "nio-onion-only", 640, List.of("/usr/bin/python3",
                    "nio_cross_node.py", a.url().toString(), b.url().toString(), "150", "600"));
        }
        assertEquals(0, client.exitCode(), client.report());
        for (String step : List.of("register and login", "encrypted room", "encrypted message from A to B",
                "encrypted message from B to A", "encrypted file")) {
            assertTrue(client.passed(step), step + ": " + client.report());
        }
        assertTrue(client.lines().contains("DONE"), client.report());
    }

    /**
     * Two nodes with libp2p and Tor share a room over libp2p; once Alice makes it {@code tor-only},
     * the event that does so and the room's messages both ways still arrive (each node refuses a
     * tor-only room's traffic over libp2p, so they came over Tor, and the Tor carriers answered),
     * while a request for the room's events signed by B but sent over libp2p is refused by A, and
     * the same request for another room they share is answered over libp2p.
     */
    @Test
    void aTorOnlyRoomsTrafficGoesOverTorAndItsRequestsOverLibp2pAreRefused() throws Exception {
        int metricsA = freePort();
        int metricsB = freePort();
        List<String> argsA = torAndLibp2p(metricsA);
        try (NodeProcess a = new NodeProcess(dir.resolve("policy-a"), argsA).start(Duration.ofSeconds(300))) {
            List<String> argsB = torAndLibp2p(metricsB);
            argsB.addAll(List.of("--bootstrap", a.p2pAddress()));
            try (NodeProcess b = new NodeProcess(dir.resolve("policy-b"), argsB).start(Duration.ofSeconds(300))) {
                MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
                MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
                String hidden = alice.createRoom(JSON.createObjectNode().put("name", "soon tor-only"));
                String open = alice.createRoom(JSON.createObjectNode().put("name", "any carrier"));
                for (String room : List.of(hidden, open)) {
                    MatrixTestClient.eventually(Duration.ofSeconds(180), () -> {
                        alice.invite(room, bob.userId());
                        return true;
                    });
                    MatrixTestClient.eventually(Duration.ofSeconds(180), () -> {
                        bob.join(room, a.serverName());
                        return true;
                    });
                }
                String openEvent = alice.sendText(open, "open to any carrier");
                assertEquals(List.of("open to any carrier"), bob.textsOnceAtLeast(open, 1, Duration.ofSeconds(120)));
                double torAnsweredA = carrierAnswered(metricsA, "tor");
                double torAnsweredB = carrierAnswered(metricsB, "tor");

                alice.call("PUT", "/_matrix/client/v3/rooms/" + MatrixTestClient.enc(hidden)
                        + "/state/dev.hyphae.room.transport_policy/", JSON.createObjectNode().put("policy", "tor-only"));
                // B refuses the event that makes the room tor-only unless it came over Tor.
                MatrixTestClient.eventually(Duration.ofSeconds(300), () -> {
                    JsonNode policy = bob.call("GET", "/_matrix/client/v3/rooms/" + MatrixTestClient.enc(hidden)
                            + "/state/dev.hyphae.room.transport_policy/", null);
                    assertEquals("tor-only", policy.path("policy").asText());
                    return true;
                });
                List<String> expected = new ArrayList<>();
                String hiddenEvent = null;
                for (int i = 0; i < 2; i++) {
                    String sent = alice.sendText(hidden, "hidden from alice " + i);
                    hiddenEvent = hiddenEvent == null ? sent : hiddenEvent;
                    expected.add("hidden from alice " + i);
                    assertEquals(expected, bob.textsOnceAtLeast(hidden, expected.size(), Duration.ofSeconds(240)));
                    bob.sendText(hidden, "hidden from bob " + i);
                    expected.add("hidden from bob " + i);
                    assertEquals(expected, alice.textsOnceAtLeast(hidden, expected.size(), Duration.ofSeconds(240)));
                }
                assertTrue(carrierAnswered(metricsA, "tor") > torAnsweredA, "A sent over Tor");
                assertTrue(carrierAnswered(metricsB, "tor") > torAnsweredB, "B sent over Tor");

                // A request of B's for the room's event, sent over libp2p, is refused; another room's is not.
                NodeIdentity bIdentity = NodeIdentity.loadOrCreate(dir.resolve("policy-b"), new SecureRandom());
                assertEquals(b.serverName(), bIdentity.serverName());
                try (Libp2pAsServer overLibp2p = new Libp2pAsServer(bIdentity, a.p2pAddress())) {
                    String openAnswer = overLibp2p.get(a.serverName(), "/_matrix/federation/v1/event/"
                            + MatrixTestClient.enc(openEvent)).path("pdus").get(0).path("room_id").asText();
                    assertEquals(open, openAnswer);
                    for (String uri : List.of("/_matrix/federation/v1/event/" + MatrixTestClient.enc(hiddenEvent),
                            "/_matrix/federation/v1/state_ids/" + MatrixTestClient.enc(hidden) + "?event_id="
                                    + MatrixTestClient.enc(hiddenEvent))) {
                        FederationException refused = overLibp2p.refusal(a.serverName(), uri);
                        assertEquals(403, refused.status(), uri);
                        assertEquals(TransportPolicy.REFUSED_ERRCODE, refused.errcode(), uri);
                        assertTrue(refused.getMessage().contains("tor-only")
                                && refused.getMessage().contains("libp2p"), refused.getMessage());
                    }
                }
                assertTrue(a.output().contains("refusing GET /_matrix/federation/v1/event/"), "A logged the refusal");
            }
        }
    }

    /** {@code hyphae run} arguments for a node with libp2p and Tor on the private network. */
    private static List<String> torAndLibp2p(int metricsPort) {
        List<String> args = new ArrayList<>(List.of("--tor", "--metrics-listen", "127.0.0.1:" + metricsPort));
        network.clientTorrcLines().forEach(line -> {
            args.add("--torrc-line");
            args.add(line);
        });
        return args;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code hyphae_carrier_answered_total} of {@code carrier} at a node's metrics endpoint. */
    private static double carrierAnswered(int metricsPort, String carrier) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        String sample = "hyphae_carrier_answered_total{carrier=\"" + carrier + "\"} ";
        return response.body().lines().filter(line -> line.startsWith(sample))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length()).trim())).findFirst()
                .orElse(0);
    }

    /**
     * Federation requests signed as another server but sent over a libp2p connection of their own,
     * as that server would send them if it ignored a room's policy.
     */
    private static final class Libp2pAsServer implements AutoCloseable {
        private final Libp2pHost host;
        private final Libp2pFederationClient client;

        Libp2pAsServer(NodeIdentity signer, String peerAddress) throws Exception {
            SecureRandom random = new SecureRandom();
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            host = new Libp2pHost(PrivateKey.fromSeed(seed),
                    HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of()), random,
                    Clock.systemUTC());
            host.start();
            host.dial(Multiaddr.parse(peerAddress)).get(60, TimeUnit.SECONDS);
            FederationSettings settings = FederationSettings.defaults();
            client = new Libp2pFederationClient(new XMatrixSigner(signer.serverName(), signer.signingKey()),
                    Router.forHost(host, List.of(), settings.routeTimeout()),
                    new HttpStreamClient(settings.requestTimeout(), settings.maxResponseBodyBytes()));
        }

        JsonNode get(String destination, String uri) throws Exception {
            return client.request(FederationRequest.get(destination, uri)).get(120, TimeUnit.SECONDS);
        }

        FederationException refusal(String destination, String uri) {
            ExecutionException thrown = assertThrows(ExecutionException.class,
                    () -> client.request(FederationRequest.get(destination, uri)).get(120, TimeUnit.SECONDS), uri);
            return assertInstanceOf(FederationException.class, thrown.getCause(), uri);
        }

        @Override
        public void close() {
            host.close();
        }
    }

    /** Onion services take a while to become reachable: retry until an answer comes. */
    private static TorHttpResponse get(TorHttpClient http, String onion, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                TorHttpResponse response = http.send(onion, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                        HttpMethod.GET, path)).get(90, TimeUnit.SECONDS);
                assertEquals(200, response.status(), response.bodyText());
                return response;
            } catch (ExecutionException | TimeoutException e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw new AssertionError("no answer from " + onion + path + " over Tor: " + last, last);
    }
}
