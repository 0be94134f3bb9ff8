package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyphaeTest {
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hyphae(String... args) {
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void idPrintsTheSameOnionServerNameAndPeerIdOnEveryRun() throws Exception {
        assertEquals(0, hyphae("id", "--data-dir", dataDir.toString()));
        JsonNode first = new ObjectMapper().readTree(out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, hyphae("id", "--data-dir", dataDir.toString()));
        JsonNode second = new ObjectMapper().readTree(out.toString());

        assertTrue(first.get("server_name").asText().matches("[a-z2-7]{56}\\.onion"), first.toString());
        assertTrue(first.get("peer_id").asText().startsWith("12D3KooW"), first.toString());
        assertEquals(first, second);
    }

    private static final Pattern HOMESERVER_URL = Pattern.compile("Homeserver URL: (http://\\S+)");

    /** Runs {@code hyphae run} in a thread until it prints its URL; the caller stops it. */
    private final class RunningNode implements AutoCloseable {
        final Thread thread;
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final URI url;

        RunningNode(String... extraArgs) throws InterruptedException {
            // Port 0 for libp2p: a test must not depend on the default port being free. No tor: there
            // is no Tor network to bootstrap from here. No mDNS: nodes of parallel runs must not meet.
            String[] args = new String[7 + extraArgs.length];
            args[0] = "run";
            args[1] = "--data-dir";
            args[2] = dataDir.toString();
            args[3] = "--p2p-listen";
            args[4] = "/ip4/127.0.0.1/tcp/0";
            args[5] = "--no-tor";
            args[6] = "--no-mdns";
            System.arraycopy(extraArgs, 0, args, 7, extraArgs.length);
            thread = new Thread(() -> exitCode.set(hyphae(args)), "hyphae-run-test");
            thread.start();
            Matcher matcher = HOMESERVER_URL.matcher("");
            for (int i = 0; i < 600 && thread.isAlive(); i++) {
                matcher = HOMESERVER_URL.matcher(out.toString());
                if (matcher.find()) {
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(matcher.find(0), "no homeserver URL printed: " + out + err);
            url = URI.create(matcher.group(1));
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(30_000);
        }
    }

    @Test
    void runServesTheClientServerApiUntilStopped() throws Exception {
        RunningNode node = new RunningNode("--listen", "127.0.0.1:0");
        try (node) {
            assertTrue(out.toString().contains(".onion"), out.toString());
            HttpResponse<String> versions = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/versions")));
            assertEquals(200, versions.statusCode());
            assertTrue(new ObjectMapper().readTree(versions.body()).get("versions").size() > 0);
            // The end-to-end encryption endpoints are served: known, but not without a token.
            HttpResponse<String> keys = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/keys/upload"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(401, keys.statusCode(), keys.body());
        }
        assertEquals(0, node.exitCode.get(), err.toString());
        assertTrue(Files.exists(dataDir.resolve("hyphae.db")));
    }

    @Test
    void aUserAddedOnTheCommandLineCanLogIn() throws Exception {
        Path passwordFile = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-password"), "s3cret\n");
        try {
            assertEquals(0, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                    "--data-dir", dataDir.toString()), err.toString());
            assertTrue(out.toString().startsWith("@alice:"), out.toString());
            assertEquals(1, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                    "--data-dir", dataDir.toString()));
            assertEquals(1, err.toString().lines().count(), err.toString());
        } finally {
            Files.delete(passwordFile);
        }
        out.getBuffer().setLength(0);
        try (RunningNode node = new RunningNode("--listen", "127.0.0.1:0")) {
            HttpResponse<String> login = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/login"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"type\": \"m.login.password\", \"user\": \"alice\", \"password\": \"s3cret\"}")));
            assertEquals(200, login.statusCode(), login.body());
        }
    }

    @Test
    void aRunningNodeCreatesRoomsAndSyncsThem() throws Exception {
        Path passwordFile = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-pw"), "s3cret\n");
        try {
            assertEquals(0, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                    "--data-dir", dataDir.toString()), err.toString());
        } finally {
            Files.delete(passwordFile);
        }
        out.getBuffer().setLength(0);
        ObjectMapper json = new ObjectMapper();
        try (RunningNode node = new RunningNode("--listen", "127.0.0.1:0")) {
            HttpResponse<String> login = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/login"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"type\": \"m.login.password\", \"user\": \"alice\", \"password\": \"s3cret\"}")));
            String token = json.readTree(login.body()).get("access_token").asText();
            HttpResponse<String> created = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/createRoom"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Lab\"}")));
            assertEquals(200, created.statusCode(), created.body());
            String roomId = json.readTree(created.body()).get("room_id").asText();
            HttpResponse<String> sync = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/sync"))
                    .header("Authorization", "Bearer " + token));
            assertEquals(200, sync.statusCode(), sync.body());
            assertTrue(json.readTree(sync.body()).path("rooms").path("join").has(roomId), sync.body());
        }
    }

    @Test
    void aRunningNodeServesTypingReceiptsAndPresenceInSync() throws Exception {
        Path passwordFile = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-pw"), "s3cret\n");
        try {
            assertEquals(0, hyphae("user", "add", "alice", "--password-file", passwordFile.toString(),
                    "--data-dir", dataDir.toString()), err.toString());
        } finally {
            Files.delete(passwordFile);
        }
        out.getBuffer().setLength(0);
        ObjectMapper json = new ObjectMapper();
        try (RunningNode node = new RunningNode("--listen", "127.0.0.1:0")) {
            HttpResponse<String> login = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/login"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"type\": \"m.login.password\", \"user\": \"alice\", \"password\": \"s3cret\"}")));
            JsonNode session = json.readTree(login.body());
            String token = session.get("access_token").asText();
            String userId = session.get("user_id").asText();
            HttpResponse<String> created = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/createRoom"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            String roomId = json.readTree(created.body()).get("room_id").asText();
            String room = "/_matrix/client/v3/rooms/" + URLEncoder.encode(roomId, StandardCharsets.UTF_8);
            HttpResponse<String> sent = node.send(HttpRequest.newBuilder(node.url.resolve(room + "/send/m.room.message/t1"))
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"msgtype\": \"m.text\", \"body\": \"hi\"}")));
            String eventId = json.readTree(sent.body()).get("event_id").asText();
            HttpResponse<String> typing = node.send(HttpRequest.newBuilder(node.url.resolve(room + "/typing/"
                    + URLEncoder.encode(userId, StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"typing\": true, \"timeout\": 60000}")));
            assertEquals(200, typing.statusCode(), typing.body());
            HttpResponse<String> receipt = node.send(HttpRequest.newBuilder(node.url.resolve(room + "/receipt/m.read/"
                    + URLEncoder.encode(eventId, StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(200, receipt.statusCode(), receipt.body());

            HttpResponse<String> sync = node.send(HttpRequest.newBuilder(node.url.resolve("/_matrix/client/v3/sync"))
                    .header("Authorization", "Bearer " + token));
            assertEquals(200, sync.statusCode(), sync.body());
            JsonNode body = json.readTree(sync.body());
            JsonNode joined = body.path("rooms").path("join").path(roomId);
            List<String> ephemeralTypes = new ArrayList<>();
            joined.path("ephemeral").path("events").forEach(event -> ephemeralTypes.add(event.path("type").asText()));
            assertEquals(List.of("m.typing", "m.receipt"), ephemeralTypes, sync.body());
            assertEquals(0, joined.path("unread_notifications").path("notification_count").asInt(-1), sync.body());
            assertEquals("online", body.path("presence").path("events").path(0).path("content").path("presence").asText(),
                    sync.body());
        }
    }

    @Test
    void aMalformedListenAddressIsAParameterError() {
        assertEquals(2, hyphae("run", "--data-dir", dataDir.toString(), "--listen", "localhost"));
        assertTrue(err.toString().contains("HOST:PORT"), err.toString());
    }

    @Test
    void anUnknownOptionIsRefusedWithAOneLineReasonAndExitCodeTwo() {
        assertEquals(2, hyphae("run", "--no-such-option"));
        assertTrue(err.toString().startsWith("hyphae: Unknown option: '--no-such-option'"), err.toString());
    }

    @Test
    void aDataDirectoryThatIsAFileFailsWithOneLineAndExitCodeOne() throws Exception {
        Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");
        assertEquals(1, hyphae("run", "--data-dir", file.toString()));
        String message = err.toString();
        assertTrue(message.startsWith("hyphae: "), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
        assertEquals(List.of(RunCommand.class), Hyphae.subcommandsFor(new String[] {"run", "--no-tor"}));
        assertEquals(List.of(ConfigCommand.class), Hyphae.subcommandsFor(new String[] {"config", "check"}));
        assertEquals(10, Hyphae.subcommandsFor(new String[] {"--help"}).size());
        assertEquals(10, Hyphae.subcommandsFor(new String[0]).size());
    }

    @Test
    void helpStillListsEverySubcommand() {
        assertEquals(0, hyphae("--help"));
        for (String name : List.of("run", "id", "user", "room", "report", "peers", "config", "p2p", "mailbox",
                "testnet")) {
            assertTrue(out.toString().lines().anyMatch(line -> line.trim().startsWith(name + " ")), out.toString());
        }
    }

    @Test
    void anUnknownSubcommandIsAParameterError() {
        assertEquals(2, hyphae("no-such-command"));
        assertTrue(err.toString().startsWith("hyphae: "), err.toString());
    }

    @Test
    void federatingWithoutLibp2pAndWithoutTorIsAParameterError() {
        assertEquals(2, hyphae("run", "--data-dir", dataDir.toString(), "--no-libp2p", "--no-tor"));
        assertTrue(err.toString().contains("--no-libp2p"), err.toString());
    }

    @Test
    void torAskedForButNotStartableFailsWithOneLineAndExitCodeOne() {
        assertEquals(1, hyphae("run", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:0",
                "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--tor", "--tor-command", "/nonexistent/tor"));
        String message = err.toString();
        assertTrue(message.startsWith("hyphae: tor: "), message);
        assertEquals(1, message.lines().count(), message);
    }

    private static final Pattern METRICS_URL = Pattern.compile("metrics: +(http://\\S+)");

    @Test
    void runServesPrometheusMetricsOnLoopbackWhenAsked() throws Exception {
        RunningNode node = new RunningNode("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0");
        try (node) {
            Matcher matcher = METRICS_URL.matcher(out.toString());
            assertTrue(matcher.find(), out.toString());
            HttpResponse<String> metrics = node.send(HttpRequest.newBuilder(URI.create(matcher.group(1))));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("\nhyphae_federation_queue_items 0\n"), metrics.body());
            assertTrue(metrics.body().contains("hyphae_carrier_requests_total{carrier=\"libp2p\"} 0"), metrics.body());
            assertTrue(metrics.body().contains("\nhyphae_sync_waiters 0\n"), metrics.body());
            assertTrue(metrics.body().contains("\nhyphae_mailbox_items_too_large_total 0\n"), metrics.body());
        }
    }
}
