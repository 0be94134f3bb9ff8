package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.transport.tor.PrivateTorNetwork;
import dev.hyphae.transport.tor.TorConfig;
import dev.hyphae.transport.tor.TorHttpClient;
import dev.hyphae.transport.tor.TorHttpResponse;
import dev.hyphae.transport.tor.TorProcess;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The federation benchmark: two {@code hyphae run} processes on loopback, federating over libp2p,
 * driven through their client-server APIs. It prints, and asserts nothing:
 * <ol>
 * <li>latency: a message sent on A, from the start of A's send request until B's long-polling
 * /sync returns it, one message at a time;</li>
 * <li>throughput: several clients on A send as fast as A lets them; the messages B's client
 * receives per second;</li>
 * <li>join: the time for a user of B to join a room of A whose state has {@code members}
 * members.</li>
 * </ol>
 * Arguments: {@code [latencyMessages] [throughputMessages] [senders] [members]}, or
 * {@code --join-only [members] [registrations at once]} for the join alone (its members register
 * without a password, which the register API allows, so no Argon2id hash is computed for them), or
 * {@code --tor [messages]} for delivery over onion services next to a plain round trip
 * ({@link #runOverTor}), or {@code --federation-path [rooms] [pdus]} for the throughput of the
 * federation path without A's client API ({@link FederationPathBench}). With
 * {@code -Dbench.jfr=true} the join phase is recorded with Java Flight Recorder in both nodes
 * ({@code jcmd}); the recordings are left in the data directory.
 */
public final class FederationBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A timeline large enough that a burst between two syncs is never cut ("limited"). */
    private static final String SYNC_FILTER = "{\"room\":{\"timeline\":{\"limit\":5000}}}";
    private static final int WARMUP = 50;

    /** Bob's /sync, followed while a run lasts. */
    private SyncFollower bobSync;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--federation-path")) {
            new FederationPathBench().run(args.length > 1 ? Integer.parseInt(args[1]) : 8,
                    args.length > 2 ? Integer.parseInt(args[2]) : 5000);
            return;
        }
        if (args.length > 0 && args[0].equals("--tor")) {
            new FederationBench().runOverTor(args.length > 1 ? Integer.parseInt(args[1]) : 200);
            return;
        }
        if (args.length > 0 && args[0].equals("--join-only")) {
            int members = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
            new FederationBench().runJoinOnly(members, concurrency);
            return;
        }
        int latencyMessages = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int throughputMessages = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        int senders = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int members = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        new FederationBench().run(latencyMessages, throughputMessages, senders, members);
    }

    private void run(int latencyMessages, int throughputMessages, int senders, int members) throws Exception {
        header("federation benchmark", "latencyMessages=" + latencyMessages + " throughputMessages="
                + throughputMessages + " senders=" + senders + " members=" + members);
        withTwoNodes((a, b, alice, bob, dir) -> {
            String roomId = alice.createRoom(JSON.createObjectNode().put("name", "latency"));
            alice.invite(roomId, bob.userId());
            joinEventually(bob, roomId, a.serverName());
            Duration cpuA = cpuOf(a);
            Duration cpuB = cpuOf(b);
            latency(alice, roomId, latencyMessages);
            System.out.printf("# CPU time per latency message: A %.2f ms, B %.2f ms%n",
                    ms(cpuOf(a).minus(cpuA).toNanos()) / (latencyMessages + WARMUP),
                    ms(cpuOf(b).minus(cpuB).toNanos()) / (latencyMessages + WARMUP));
            throughput(a, b, bob, throughputMessages, senders);
            join(a, b, alice, bob, members, 4, true, dir);
        });
    }

    /** Only the join phase, with a room built quickly (members without passwords, several at once). */
    private void runJoinOnly(int members, int concurrency) throws Exception {
        header("federation benchmark, join only", "members=" + members + " registrations at once=" + concurrency);
        withTwoNodes((a, b, alice, bob, dir) -> {
            // A first small room warms up both nodes and opens the libp2p connection between them.
            String warmup = alice.createRoom(JSON.createObjectNode().put("name", "warm-up"));
            alice.invite(warmup, bob.userId());
            joinEventually(bob, warmup, a.serverName());
            join(a, b, alice, bob, members, concurrency, false, dir);
        });
    }

    /** A phase of the benchmark, given two started nodes, Alice on A and Bob on B, and their data directory. */
    private interface TwoNodes {
        void run(NodeProcess a, NodeProcess b, MatrixTestClient alice, MatrixTestClient bob, Path dir) throws Exception;
    }

    /** Starts A and B (B bootstrapped from A), registers Alice and Bob, follows Bob's /sync, runs the phase. */
    private void withTwoNodes(TwoNodes phase) throws Exception {
        Path dir = Files.createTempDirectory("hyphae-fed-bench");
        System.out.println("# data and logs: " + dir);
        try (NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
                NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            try (SyncFollower follower = new SyncFollower(bob, SYNC_FILTER)) {
                bobSync = follower;
                phase.run(a, b, alice, bob, dir);
                System.out.println("# load average at the end: " + loadAverage());
            }
        }
    }

    /**
     * Over onion services only: a private Tor network on loopback, two {@code --tor --no-libp2p}
     * nodes; the delivery latency next to a plain HTTP round trip to B's onion service (a GET of
     * {@code /_matrix/federation/v1/version} through a third tor, a new stream each time, as the
     * nodes' requests are), measured in the same run.
     */
    private void runOverTor(int messages) throws Exception {
        header("federation benchmark over onion services", "messages=" + messages);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "hyphae-tor-bench-");
        System.out.println("# data and logs: " + dir);
        long networkStart = System.nanoTime();
        try (PrivateTorNetwork network = PrivateTorNetwork.start()) {
            System.out.printf("# private Tor network up after %.1f s%n", seconds(System.nanoTime() - networkStart));
            List<String> args = new ArrayList<>(List.of("--tor", "--no-libp2p"));
            network.clientTorrcLines().forEach(line -> args.addAll(List.of("--torrc-line", line)));
            NioEventLoopGroup group = new NioEventLoopGroup(1);
            try (NodeProcess a = new NodeProcess(dir.resolve("a"), args).start();
                    NodeProcess b = new NodeProcess(dir.resolve("b"), args).start();
                    TorProcess probe = TorProcess.start(TorConfig.defaults(dir.resolve("probe-tor"))
                            .withExtraTorrcLines(network.clientTorrcLines()), status -> { })) {
                probe.awaitBootstrapped(Duration.ofSeconds(120));
                MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
                MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
                bobSync = new SyncFollower(bob, SYNC_FILTER);
                String roomId = alice.createRoom(JSON.createObjectNode().put("name", "onion latency"));
                alice.invite(roomId, bob.userId());
                joinEventually(bob, roomId, a.serverName(), Duration.ofSeconds(180));
                TorHttpClient http = TorHttpClient.over(probe, group);
                long[] roundTrips = new long[messages];
                long[] deliveries = new long[messages];
                // Interleaved, so both see the same circuits and the same machine load.
                for (int i = -WARMUP / 5; i < messages; i++) {
                    long start = System.nanoTime();
                    TorHttpResponse version = http.send(b.serverName(), new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                            HttpMethod.GET, "/_matrix/federation/v1/version")).get(60, TimeUnit.SECONDS);
                    long roundTrip = System.nanoTime() - start;
                    if (version.status() != 200) {
                        throw new IllegalStateException("version over Tor answered " + version.status());
                    }
                    String body = "onion " + i;
                    start = System.nanoTime();
                    alice.sendText(roomId, body);
                    long delivery = awaitArrival(body, Duration.ofSeconds(120)) - start;
                    if (i >= 0) {
                        roundTrips[i] = roundTrip;
                        deliveries[i] = delivery;
                    }
                }
                Arrays.sort(roundTrips);
                Arrays.sort(deliveries);
                System.out.printf("plain HTTP round trip to B's onion service, %d requests: p50 %.1f ms, p90 %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms%n", messages, ms(percentile(roundTrips, 50)),
                        ms(percentile(roundTrips, 90)), ms(percentile(roundTrips, 99)), ms(roundTrips[messages - 1]));
                System.out.printf("delivery over onion services (send on A -> B's /sync returns it), %d messages: "
                        + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", messages, ms(percentile(deliveries, 50)),
                        ms(percentile(deliveries, 90)), ms(percentile(deliveries, 99)), ms(deliveries[messages - 1]));
                System.out.printf("delivery / round trip: p50 %.2fx, p99 %.2fx (goal: <= 2x)%n",
                        (double) percentile(deliveries, 50) / percentile(roundTrips, 50),
                        (double) percentile(deliveries, 99) / percentile(roundTrips, 99));
                System.out.println("# load average at the end: " + loadAverage());
                bobSync.close();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private static void header(String title, String arguments) {
        System.out.println("# " + title + ", " + Instant.now());
        System.out.println("# machine: nproc=" + Runtime.getRuntime().availableProcessors() + ", load average "
                + loadAverage() + ", java " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        System.out.println("# arguments: " + arguments);
    }

    private void latency(MatrixTestClient alice, String roomId, int messages) throws Exception {
        long[] nanos = new long[messages];
        long[] sendNanos = new long[messages];
        for (int i = -WARMUP; i < messages; i++) {
            String body = "latency " + i;
            long start = System.nanoTime();
            alice.sendText(roomId, body);
            long answered = System.nanoTime();
            long arrived = awaitArrival(body, Duration.ofSeconds(60));
            if (i >= 0) {
                nanos[i] = arrived - start;
                sendNanos[i] = answered - start;
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(sendNanos);
        System.out.printf("latency (send on A -> B's /sync returns it), %d messages after %d warm-up: "
                + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (goal: p50 <= 10 ms, p99 <= 50 ms)%n",
                messages, WARMUP, ms(percentile(nanos, 50)), ms(percentile(nanos, 90)), ms(percentile(nanos, 99)),
                ms(nanos[nanos.length - 1]));
        // The part of the latency spent before A answered the send (signing, storing, queueing).
        System.out.printf("# of which A's send request: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                ms(percentile(sendNanos, 50)), ms(percentile(sendNanos, 90)), ms(percentile(sendNanos, 99)),
                ms(sendNanos[sendNanos.length - 1]));
    }

    private void throughput(NodeProcess a, NodeProcess b, MatrixTestClient bob, int messages, int senders)
            throws Exception {
        List<MatrixTestClient> clients = new ArrayList<>();
        List<String> rooms = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            MatrixTestClient sender = new MatrixTestClient(a.url()).register("sender" + s, "sender password");
            String roomId = sender.createRoom(JSON.createObjectNode().put("name", "throughput " + s));
            sender.invite(roomId, bob.userId());
            joinEventually(bob, roomId, a.serverName());
            clients.add(sender);
            rooms.add(roomId);
        }
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        Duration cpuA = cpuOf(a);
        Duration cpuB = cpuOf(b);
        long start = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            sent.add(pool.submit(() -> {
                for (int i = sender; i < messages; i += senders) {
                    clients.get(sender).sendText(rooms.get(sender), "throughput " + i);
                }
                return null;
            }));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        long sendEnd = System.nanoTime();
        pool.shutdown();
        long lastArrival = start;
        int arrived = 0;
        for (int i = 0; i < messages; i++) {
            try {
                lastArrival = Math.max(lastArrival, awaitArrival("throughput " + i, Duration.ofSeconds(120)));
                arrived++;
            } catch (IllegalStateException e) {
                System.out.println("# " + e.getMessage());
            }
        }
        System.out.printf("throughput, %d messages from %d clients in %d rooms on A: A accepted %.0f sends/s; "
                + "B's client received %d of them, %.0f PDUs/s (goal: >= 5,000 PDUs/s)%n",
                messages, senders, senders, messages / seconds(sendEnd - start), arrived, arrived / seconds(lastArrival - start));
        System.out.printf("# CPU time per throughput message: A %.2f ms, B %.2f ms%n",
                ms(cpuOf(a).minus(cpuA).toNanos()) / messages, ms(cpuOf(b).minus(cpuB).toNanos()) / messages);
        if (bobSync.limitedSyncs() > 0) {
            System.out.println("# " + bobSync.limitedSyncs() + " sync responses had a limited timeline");
        }
    }

    private void join(NodeProcess a, NodeProcess b, MatrixTestClient alice, MatrixTestClient bob, int members,
            int concurrency, boolean passwords, Path dir) throws Exception {
        String roomId = alice.createRoom(JSON.createObjectNode().put("name", "crowd").put("preset", "public_chat"));
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> joined = new ArrayList<>();
        // Alice is one member already.
        for (int m = 1; m < members; m++) {
            String name = "member" + m;
            joined.add(pool.submit(() -> {
                new MatrixTestClient(a.url()).register(name, passwords ? "member password" : null).join(roomId);
                return null;
            }));
        }
        for (Future<?> future : joined) {
            future.get();
        }
        pool.shutdown();
        JsonNode state = alice.call("GET", "/_matrix/client/v3/rooms/" + MatrixTestClient.enc(roomId) + "/joined_members", null);
        System.out.printf("# made a room on A with %d joined members in %.1f s (register%s + join, %d clients at once)%n",
                state.path("joined").size(), seconds(System.nanoTime() - start), passwords ? "" : " without password",
                concurrency);
        boolean jfr = Boolean.getBoolean("bench.jfr");
        if (jfr) {
            jcmd(a, "JFR.start", "name=join", "settings=profile");
            jcmd(b, "JFR.start", "name=join", "settings=profile");
        }
        System.out.println("# load average before the join: " + loadAverage());
        Duration cpuA = cpuOf(a);
        Duration cpuB = cpuOf(b);
        long joinStart = System.nanoTime();
        bob.join(roomId, a.serverName());
        long joinAnswered = System.nanoTime();
        Duration usedA = cpuOf(a).minus(cpuA);
        Duration usedB = cpuOf(b).minus(cpuB);
        long seen = awaitJoined(roomId, Duration.ofSeconds(120));
        if (jfr) {
            jcmd(a, "JFR.stop", "name=join", "filename=" + dir.resolve("a-join.jfr"));
            jcmd(b, "JFR.stop", "name=join", "filename=" + dir.resolve("b-join.jfr"));
        }
        JsonNode onB = bob.call("GET", "/_matrix/client/v3/rooms/" + MatrixTestClient.enc(roomId) + "/joined_members", null);
        System.out.printf("join of B's user into A's room of %d members: POST /join answered after %.0f ms, "
                + "B's /sync showed the room after %.0f ms; B knows %d joined members (goal: <= 1 s)%n",
                members, ms(joinAnswered - joinStart), ms(seen - joinStart), onB.path("joined").size());
        System.out.printf("# CPU time used until POST /join answered: A %d ms, B %d ms (all threads of each JVM)%n",
                usedA.toMillis(), usedB.toMillis());
        // A client's first sync after the join, on a new device: with and without lazy-loaded members.
        MatrixTestClient fresh = new MatrixTestClient(b.url()).login("bob", "bob password");
        String lazy = "{\"room\":{\"state\":{\"lazy_load_members\":true},\"timeline\":{\"limit\":10}}}";
        long syncStart = System.nanoTime();
        fresh.call("GET", "/_matrix/client/v3/sync?filter=" + MatrixTestClient.enc(lazy), null);
        long lazySync = System.nanoTime() - syncStart;
        syncStart = System.nanoTime();
        JsonNode full = fresh.call("GET", "/_matrix/client/v3/sync", null);
        long fullSync = System.nanoTime() - syncStart;
        System.out.printf("# B's initial /sync of a new device after the join: %.0f ms with lazy-loaded members, "
                + "%.0f ms with all %d state events of the room%n", ms(lazySync), ms(fullSync),
                full.path("rooms").path("join").path(roomId).path("state").path("events").size());
    }

    private static void jcmd(NodeProcess node, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(node.processHandle().pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            System.out.println("# jcmd " + String.join(" ", command) + " failed: " + output.strip());
        }
    }

    private static void joinEventually(MatrixTestClient client, String roomId, String via) throws Exception {
        joinEventually(client, roomId, via, Duration.ofSeconds(60));
    }

    private static void joinEventually(MatrixTestClient client, String roomId, String via, Duration limit)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                client.join(roomId, via);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private long awaitArrival(String body, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Long arrived;
        while ((arrived = bobSync.arrivals().get(body)) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("\"" + body + "\" did not reach B within " + limit);
            }
            Thread.sleep(0, 200_000);
        }
        return arrived;
    }

    private long awaitJoined(String roomId, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Long seen;
        while ((seen = bobSync.joinedRooms().get(roomId)) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(roomId + " did not appear in B's sync within " + limit);
            }
            Thread.sleep(1);
        }
        return seen;
    }

    private static long percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The CPU time the node's JVM has used so far (zero when the platform does not say). */
    static Duration cpuOf(NodeProcess node) {
        return node.processHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    static String loadAverage() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                Files.newInputStream(Path.of("/proc/loadavg")), StandardCharsets.UTF_8))) {
            String[] parts = reader.readLine().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
