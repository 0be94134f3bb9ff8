package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    void joinEventsCarryDisplayNamesAcrossNodesAndANewNameReachesTheOtherNode() throws Exception {
        try (NodeProcess a = new NodeProcess(dir.resolve("names-a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("names-b"), List.of("--bootstrap", a.p2pAddress())).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            setDisplayName(alice, "Alice Moss");
            setDisplayName(bob, "Bob Lichen");
            String roomId = alice.createRoom(JSON.createObjectNode().put("name", "names"));
            alice.invite(roomId, bob.userId());
            eventually(Duration.ofSeconds(60), () -> {
                bob.join(roomId, a.serverName());
                return true;
            });

            assertEquals("Alice Moss", memberName(bob, roomId, alice.userId()));
            assertEquals("Bob Lichen", eventually(Duration.ofSeconds(60), () -> {
                String name = memberName(alice, roomId, bob.userId());
                if (!"Bob Lichen".equals(name)) {
                    throw new IllegalStateException("bob's join on A has no name yet: " + name);
                }
                return name;
            }));
            setDisplayName(alice, "Alice Fern");
            assertEquals("Alice Fern", eventually(Duration.ofSeconds(60), () -> {
                String name = memberName(bob, roomId, alice.userId());
                if (!"Alice Fern".equals(name)) {
                    throw new IllegalStateException("alice's new name has not reached B: " + name);
                }
                return name;
            }));
        }
    }

    private static void setDisplayName(MatrixTestClient client, String name) throws Exception {
        client.call("PUT", "/_matrix/client/v3/profile/" + MatrixTestClient.enc(client.userId()) + "/displayname",
                JSON.createObjectNode().put("displayname", name));
    }

    private static String memberName(MatrixTestClient reader, String roomId, String userId) throws Exception {
        return reader.call("GET", "/_matrix/client/v3/rooms/" + MatrixTestClient.enc(roomId) + "/state/m.room.member/"
                + MatrixTestClient.enc(userId), null).path("displayname").asText(null);
    }

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

    @Test
    void conflictingStateChangesWhileTheThirdNodeIsKilledEndInOneStateOnAllThree() throws Exception {
        try (NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start();
                NodeProcess c = new NodeProcess(dir.resolve("c"), List.of("--bootstrap", a.p2pAddress())).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient dave = new MatrixTestClient(a.url()).register("dave", "dave password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            MatrixTestClient carol = new MatrixTestClient(c.url()).register("carol", "carol password");
            String roomId = alice.createRoom(JSON.createObjectNode().put("name", "contested")
                    .put("preset", "public_chat").put("room_version", "11"));
            dave.join(roomId);
            ObjectNode levels = (ObjectNode) alice.call("GET", stateUrl(roomId) + "/m.room.power_levels/", null);
            levels.with("users").put(bob.userId(), 100);
            alice.call("PUT", stateUrl(roomId) + "/m.room.power_levels/", levels);
            for (MatrixTestClient joiner : List.of(bob, carol)) {
                eventually(Duration.ofSeconds(60), () -> {
                    joiner.join(roomId, a.serverName());
                    return true;
                });
            }
            Set<String> before = eventuallySameState(roomId, Duration.ofSeconds(60), alice, bob, carol);
            assertTrue(before.size() > 0);

            c.kill();
            // Both sides act at once, each on the state it has, so A's and B's changes conflict.
            ObjectNode aliceLevels = levels.deepCopy();
            aliceLevels.with("users").put(carol.userId(), 50);
            ObjectNode bobLevels = levels.deepCopy();
            bobLevels.with("users").put(carol.userId(), 20);
            alice.call("PUT", stateUrl(roomId) + "/m.room.topic/", JSON.createObjectNode().put("topic", "alice's"));
            bob.call("PUT", stateUrl(roomId) + "/m.room.topic/", JSON.createObjectNode().put("topic", "bob's"));
            alice.call("PUT", stateUrl(roomId) + "/m.room.power_levels/", aliceLevels);
            bob.call("PUT", stateUrl(roomId) + "/m.room.power_levels/", bobLevels);
            alice.call("PUT", stateUrl(roomId) + "/m.room.join_rules/", JSON.createObjectNode().put("join_rule", "invite"));
            bob.call("POST", "/_matrix/client/v3/rooms/" + MatrixTestClient.enc(roomId) + "/kick",
                    JSON.createObjectNode().put("user_id", dave.userId()));
            c.start();
            MatrixTestClient carolAgain = new MatrixTestClient(c.url()).login("carol", "carol password");
            Set<String> after = eventuallySameState(roomId, Duration.ofSeconds(180), alice, bob, carolAgain);
            assertFalse(after.equals(before), "the changes made while C was away are in the state");
        }
    }

    private static String stateUrl(String roomId) {
        return "/_matrix/client/v3/rooms/" + MatrixTestClient.enc(roomId) + "/state";
    }

    /** The event IDs of the room's current state once all readers report the same, or fails at the limit. */
    private static Set<String> eventuallySameState(String roomId, Duration limit, MatrixTestClient... readers)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<Set<String>> states = new ArrayList<>();
            for (MatrixTestClient reader : readers) {
                Set<String> ids = new HashSet<>();
                reader.call("GET", stateUrl(roomId), null).forEach(event -> ids.add(event.path("event_id").asText()));
                states.add(ids);
            }
            if (states.stream().distinct().count() == 1) {
                return states.get(0);
            }
            if (System.nanoTime() > deadline) {
                assertEquals(states.get(0), states.get(1), "A and B");
                assertEquals(states.get(0), states.get(2), "A and C");
            }
            Thread.sleep(500);
        }
    }

    private static List<String> eventuallyEqualSize(MatrixTestClient client, String roomId, int size) throws Exception {
        return eventuallyEqualSize(client, roomId, size, Duration.ofSeconds(60));
    }

    private static List<String> eventuallyEqualSize(MatrixTestClient client, String roomId, int size, Duration limit)
            throws Exception {
        return client.textsOnceAtLeast(roomId, size, limit);
    }

    private static <T> T eventually(Duration limit, Callable<T> action) throws Exception {
        return MatrixTestClient.eventually(limit, action);
    }
}
