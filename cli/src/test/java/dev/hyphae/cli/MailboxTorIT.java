package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.mailbox.PaddedSizes;
import dev.hyphae.store.sqlite.SqliteStoreOptions;
import dev.hyphae.transport.router.OnionAddress;
import dev.hyphae.transport.tor.PrivateTorNetwork;
import dev.hyphae.transport.tor.TorAvailable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Store-and-forward over a private Tor network, three onion-only nodes: A sends 200 messages while
 * B is stopped; they land in B's mailbox M; A stops; B starts and its client gets all 200, once
 * each and in order. M's database holds neither the messages nor anything naming A, and every body
 * M was sent had one of the fixed sizes.
 */
@Tag("tor")
class MailboxTorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESSAGES = 200;
    /** Tor bootstraps slowly on a loaded machine. */
    private static final Duration START_LIMIT = Duration.ofMinutes(5);
    private static final Pattern DEPOSIT = Pattern.compile("mailbox deposit of (\\d+) bytes");
    private static final Pattern FETCH = Pattern.compile("mailbox fetch of (\\d+) bytes: answered with (\\d+) bytes");

    @Test
    void messagesForAStoppedNodeWaitInItsMailboxAndReachItOnceInOrderWithoutTheSender() throws Exception {
        TorAvailable.assumeTor();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "hyphae-mailbox-tor-");
        try (PrivateTorNetwork network = PrivateTorNetwork.start()) {
            List<String> tor = new ArrayList<>(List.of("--tor", "--no-libp2p"));
            network.clientTorrcLines().forEach(line -> {
                tor.add("--torrc-line");
                tor.add(line);
            });
            // The mailbox's name is its key's: known before it runs, so A and B can start together.
            String mServer = NodeIdentity.loadOrCreate(dir.resolve("m"), new SecureRandom()).serverName();
            List<String> bArgs = with(tor, "--mailbox", mServer, "--mailbox-fetch-interval", "4");
            NodeProcess m = new NodeProcess(dir.resolve("m"), with(tor, "--mailbox-serve"));
            NodeProcess a = new NodeProcess(dir.resolve("a"), with(tor, "--mailbox-deposit-after", "0"));
            NodeProcess b = new NodeProcess(dir.resolve("b"), bArgs);
            try (m) {
                m.start(START_LIMIT); // alone first: three tor processes starting at once overload a small machine
                startTogether(a, b);
                String roomId;
                String bServer;
                String aServer;
                List<String> sent = new ArrayList<>();
                try (a) {
                    aServer = a.serverName();
                    MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
                    try (b) {
                        bServer = b.serverName();
                        MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
                        roomId = alice.createRoom(JSON.createObjectNode().put("name", "mailbox"));
                        alice.invite(roomId, bob.userId());
                        eventually(Duration.ofMinutes(4), () -> {
                            bob.join(roomId, a.serverName());
                            return null;
                        });
                        alice.sendText(roomId, "hello");
                        eventually(Duration.ofMinutes(3), () -> {
                            assertEquals(List.of("hello"), bob.texts(roomId));
                            return null;
                        });
                        // A learned B's mailbox record from B; M knows B from B's first fetch.
                        eventually(Duration.ofMinutes(2), () -> {
                            assertEquals(1L, count(dir.resolve("a"),
                                    "SELECT COUNT(*) FROM mailbox_records WHERE server_name = '" + bServer + "'"));
                            assertEquals(1L, count(dir.resolve("m"),
                                    "SELECT COUNT(*) FROM mailbox_recipients WHERE recipient = '" + bServer + "'"));
                            return null;
                        });
                    }
                    // B is stopped: everything A sends now must go through M.
                    for (int i = 1; i <= MESSAGES; i++) {
                        String text = "offline message " + i + " " + Long.toHexString(Double.doubleToLongBits(Math.random()));
                        sent.add(text);
                        alice.sendText(roomId, text);
                    }
                    eventually(Duration.ofMinutes(6), () -> {
                        assertEquals(0L, count(dir.resolve("a"),
                                "SELECT COUNT(*) FROM federation_queue WHERE destination = '" + bServer + "'"));
                        return null;
                    });
                }
                // A is stopped too. What does M hold?
                long waiting = count(dir.resolve("m"), "SELECT COUNT(*) FROM mailbox_envelopes");
                assertTrue(waiting > 0, "M holds no envelopes");
                assertEquals(0L, count(dir.resolve("m"), "SELECT COUNT(*) FROM mailbox_envelopes WHERE LENGTH(body) NOT IN ("
                        + PaddedSizes.ENVELOPE_SIZES.stream().map(String::valueOf).reduce((x, y) -> x + "," + y).orElseThrow()
                        + ")"));
                assertMailboxFilesHoldNothingOf(dir.resolve("m"), aServer, sent);

                // A tor restarted on the private network's short-lived consensus may fail to build
                // circuits from its cache ("Failed to find node for hop #2"): B's tor starts afresh.
                // The onion key is the node's identity, published with ADD_ONION, not in tor's data.
                deleteTree(dir.resolve("b").resolve("tor"));
                try (NodeProcess bAgain = new NodeProcess(dir.resolve("b"), bArgs).start(START_LIMIT)) {
                    MatrixTestClient bob = new MatrixTestClient(bAgain.url()).login("bob", "bob password");
                    List<String> expected = new ArrayList<>(List.of("hello"));
                    expected.addAll(sent);
                    List<String> texts = eventually(Duration.ofMinutes(5), () -> {
                        List<String> now = bob.texts(roomId);
                        assertTrue(now.size() >= expected.size(), "B has " + now.size() + " of " + expected.size());
                        return now;
                    });
                    assertEquals(expected, texts);
                    // B deleted what it processed.
                    eventually(Duration.ofMinutes(2), () -> {
                        assertEquals(0L, count(dir.resolve("m"), "SELECT COUNT(*) FROM mailbox_envelopes"));
                        return null;
                    });
                    assertEquals(expected, bob.texts(roomId));
                }
                assertEverySizeSeenAtTheMailboxIsFixed(m.output());
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void startTogether(NodeProcess... nodes) throws Exception {
        List<CompletableFuture<NodeProcess>> started = new ArrayList<>();
        for (NodeProcess node : nodes) {
            started.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return node.start(START_LIMIT);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            for (NodeProcess node : nodes) {
                node.close();
            }
            throw e;
        }
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return args;
    }

    /** A count from a node's database, read beside the running node. */
    private static long count(Path dataDir, String sql) throws SQLException {
        Path db = dataDir.resolve(SqliteStoreOptions.DATABASE_FILE_NAME);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    /** Neither A's server name, nor A's key, nor A's user, nor any message is in M's database files. */
    private static void assertMailboxFilesHoldNothingOf(Path mailboxDir, String aServer, List<String> sent)
            throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(mailboxDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(
                    SqliteStoreOptions.DATABASE_FILE_NAME)).toList()) {
                all.write(Files.readAllBytes(file));
            }
        }
        byte[] bytes = all.toByteArray();
        assertTrue(bytes.length > 0);
        String serviceId = aServer.substring(0, aServer.indexOf('.'));
        assertFalse(contains(bytes, serviceId.getBytes(StandardCharsets.US_ASCII)), "M's database names A");
        assertFalse(contains(bytes, OnionAddress.parse(aServer).publicKey()), "M's database holds A's key");
        assertFalse(contains(bytes, "@alice".getBytes(StandardCharsets.US_ASCII)), "M's database names alice");
        assertFalse(contains(bytes, "offline message".getBytes(StandardCharsets.US_ASCII)),
                "M's database holds message text");
        for (String text : sent) {
            assertFalse(contains(bytes, text.getBytes(StandardCharsets.UTF_8)), "M's database holds " + text);
        }
    }

    private static void assertEverySizeSeenAtTheMailboxIsFixed(String log) {
        int deposits = 0;
        int fetches = 0;
        Matcher deposit = DEPOSIT.matcher(log);
        while (deposit.find()) {
            deposits++;
            assertTrue(PaddedSizes.ENVELOPE_SIZES.contains(Integer.parseInt(deposit.group(1))), deposit.group());
        }
        Matcher fetch = FETCH.matcher(log);
        while (fetch.find()) {
            fetches++;
            assertEquals(PaddedSizes.FETCH_REQUEST_SIZE, Integer.parseInt(fetch.group(1)), fetch.group());
            assertTrue(PaddedSizes.ANSWER_SIZES.contains(Integer.parseInt(fetch.group(2))), fetch.group());
        }
        assertTrue(deposits > 0 && fetches > 0, "deposits " + deposits + ", fetches " + fetches);
        assertFalse(Pattern.compile("mailbox (deposit|fetch) of \\d+ bytes: refused").matcher(log).find(),
                "a refused deposit or fetch at M");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static <T> T eventually(Duration limit, Callable<T> action) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return action.call();
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }
}
