package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes as separate OS processes federating over libp2p on loopback, driven through their client APIs. */
class FederationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoNodesShareARoomAndEveryMessageReachesBothInConversationOrder() throws Exception {
        try (NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            String roomId = alice.createRoom(JSON.createObjectNode().put("name", "across"));
            alice.invite(roomId, bob.userId());
            eventually(Duration.ofSeconds(60), () -> {
                bob.join(roomId, a.serverName());
                return true;
            });
            // A conversation: each answers what the other said, so every message follows the one before.
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                alice.sendText(roomId, "from alice " + i);
                expected.add("from alice " + i);
                assertEquals(expected, eventuallyEqualSize(bob, roomId, expected.size()));
                bob.sendText(roomId, "from bob " + i);
                expected.add("from bob " + i);
                assertEquals(expected, eventuallyEqualSize(alice, roomId, expected.size()));
            }
            // Messages sent at the same moment on both nodes all arrive on both.
            Set<String> concurrent = new HashSet<>(expected);
            for (int i = 0; i < 10; i++) {
                alice.sendText(roomId, "together alice " + i);
                bob.sendText(roomId, "together bob " + i);
                concurrent.add("together alice " + i);
                concurrent.add("together bob " + i);
            }
            assertEquals(concurrent, new HashSet<>(eventuallyEqualSize(alice, roomId, concurrent.size())));
            assertEquals(concurrent, new HashSet<>(eventuallyEqualSize(bob, roomId, concurrent.size())));
        }
    }

    @Test
    void aThirdNodeJoinsThroughTheSecondAndAllThreeSeeEveryMessage() throws Exception {
        try (NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start();
                NodeProcess c = new NodeProcess(dir.resolve("c"), List.of("--bootstrap", a.p2pAddress())).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            MatrixTestClient carol = new MatrixTestClient(c.url()).register("carol", "carol password");
            String roomId = alice.createRoom(JSON.createObjectNode().put("name", "three"));
            alice.invite(roomId, bob.userId());
            eventually(Duration.ofSeconds(60), () -> {
                bob.join(roomId, a.serverName());
                return true;
            });
            alice.invite(roomId, carol.userId());
            // Carol's node asks Bob's node, not Alice's, to let her in.
            eventually(Duration.ofSeconds(60), () -> {
                carol.join(roomId, b.serverName());
                return true;
            });
            List<String> expected = new ArrayList<>();
            for (MatrixTestClient sender : List.of(carol, alice, bob)) {
                sender.sendText(roomId, "hello from " + sender.userId());
                expected.add("hello from " + sender.userId());
                for (MatrixTestClient reader : List.of(alice, bob, carol)) {
                    assertEquals(expected, eventuallyEqualSize(reader, roomId, expected.size()), reader.userId());
                }
            }
        }
    }

    @Test
    void messagesSentWhileTheOtherNodeIsKilledArriveOnceAndInOrderAfterItRestarts() throws Exception {
        try (NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            String roomId = alice.createRoom(JSON.createObjectNode().put("name", "durable"));
            alice.invite(roomId, bob.userId());
            eventually(Duration.ofSeconds(60), () -> {
                bob.join(roomId, a.serverName());
                return true;
            });
            b.kill();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                alice.sendText(roomId, "while away " + i);
                expected.add("while away " + i);
            }
            b.start();
            MatrixTestClient bobAgain = new MatrixTestClient(b.url()).login("bob", "bob password");
            List<String> onB = eventuallyEqualSize(bobAgain, roomId, expected.size(), Duration.ofSeconds(180));
            assertEquals(expected, onB);
        }
    }

    private static List<String> eventuallyEqualSize(MatrixTestClient client, String roomId, int size) throws Exception {
        return eventuallyEqualSize(client, roomId, size, Duration.ofSeconds(60));
    }

    private static List<String> eventuallyEqualSize(MatrixTestClient client, String roomId, int size, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> texts = client.texts(roomId);
        while (texts.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(200);
            texts = client.texts(roomId);
        }
        return texts;
    }

    private static <T> T eventually(Duration limit, Callable<T> action) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return action.call();
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
