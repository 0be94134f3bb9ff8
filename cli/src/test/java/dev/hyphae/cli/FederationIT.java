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

    private static List<String> eventuallyEqualSize(MatrixTestClient client, String roomId, int size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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
