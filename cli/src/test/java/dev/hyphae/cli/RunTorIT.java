package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code hyphae run --no-libp2p} on a private Tor network: the node prints tor's bootstrap
 * progress and its onion service, and serves federation there. The tests share one network, as
 * starting one takes minutes.
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
