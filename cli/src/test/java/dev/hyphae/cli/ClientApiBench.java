package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client-server API benchmark: one {@code hyphae run} child JVM, started with the JVM options of
 * the {@code hyphae} launcher ({@code cli/jvm.options}), driven over HTTP on loopback. It prints each
 * figure next to its goal, and asserts nothing:
 * <ol>
 * <li>cold start: from spawning the JVM on an empty data directory to the first 200 of
 * {@code GET /_matrix/client/versions};</li>
 * <li>idle RSS: VmRSS of the node a few seconds after that;</li>
 * <li>wake-up latency: B long-polls /sync; A sends a message; the time from the start of A's send
 * to B's /sync returning it, one message at a time;</li>
 * <li>events/s: concurrent senders, each with one request in flight, each send answered after the
 * event's durable commit; acknowledged sends a second;</li>
 * <li>initial sync: a /sync without {@code since} of a user in {@code rooms} rooms of
 * {@code events} messages each, with the filter {@value #INITIAL_SYNC_FILTER}.</li>
 * </ol>
 * The load phase is also the setup of the initial sync: its senders fill the rooms. Rate limits are
 * off for the node ({@code --rate-limit-per-ip 0 --rate-limit-per-user 0}): they would measure the
 * limiter. Arguments: {@code [--rooms N] [--events N] [--senders N] [--messages N] [--starts N]
 * [--jar PATH]}; the system property {@code hyphae.bench.nodeOptions} adds JVM options for the
 * node (a profiler, say).
 */
public final class ClientApiBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A typical client's first sync: the last 10 events of each room, all of its state. */
    static final String INITIAL_SYNC_FILTER = "{\"room\":{\"timeline\":{\"limit\":10}}}";
    private static final String LIVE_FILTER = "{\"room\":{\"timeline\":{\"limit\":100}}}";
    private static final int WARMUP = 20;

    private final Map<String, Integer> options;
    private List<String> launcher;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private ClientApiBench(Map<String, Integer> options, List<String> launcher) {
        this.options = options;
        this.launcher = launcher;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new LinkedHashMap<>(Map.of("rooms", 100, "events", 1000, "senders", 50,
                "messages", 500, "starts", 3));
        String jar = null;
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            if (name.equals("jar")) {
                jar = args[i + 1];
            } else if (options.containsKey(name)) {
                options.put(name, Integer.parseInt(args[i + 1]));
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet() + ", jar");
            }
        }
        new ClientApiBench(options, launcher(jar, List.of())).run(jar);
        System.exit(0);
    }

    /** The command the {@code hyphae} launcher runs, up to the hyphae arguments, with {@code extra} JVM options. */
    private static List<String> launcher(String jar, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(NodeProcess.javaBinary()));
        command.addAll(jvmOptions(Path.of("jvm.options")));
        // More node JVM options for one run (a profiler, another collector), after the launcher's.
        String more = System.getProperty("hyphae.bench.nodeOptions", "").trim();
        if (!more.isEmpty()) {
            command.addAll(Arrays.asList(more.split("\\s+")));
        }
        command.addAll(extra);
        if (jar != null) {
            Path archive = Path.of(jar + ".jsa");
            if (extra.isEmpty() && Files.exists(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(Path.of(jar))) > 0) {
                command.add("-XX:SharedArchiveFile=" + archive);
            }
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Hyphae.class.getName()));
        }
        return command;
    }

    /** The options of the launcher's {@code jvm.options}: words, with {@code #} comments removed. */
    static List<String> jvmOptions(Path file) throws IOException {
        List<String> words = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String text = line.replaceFirst("#.*", "").trim();
            if (!text.isEmpty()) {
                words.addAll(Arrays.asList(text.split("\\s+")));
            }
        }
        return words;
    }

    private void run(String jar) throws Exception {
        System.out.println("# client-server API benchmark, " + Instant.now());
        System.out.println("# machine: nproc=" + Runtime.getRuntime().availableProcessors() + ", java "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        System.out.println("# uptime at the start: " + uptime());
        System.out.println("# arguments: " + options);
        Path dir = Files.createTempDirectory("hyphae-client-bench");
        System.out.println("# data and logs: " + dir);
        List<String> nodeArgs = List.of("--rate-limit-per-ip", "0", "--rate-limit-per-user", "0");
        if (jar != null && launcher.stream().noneMatch(option -> option.startsWith("-XX:SharedArchiveFile="))) {
            // As the launcher does: the first start after a build writes the class data archive when it stops.
            Path archive = Path.of(jar + ".jsa");
            Files.deleteIfExists(archive);
            long spawn = System.nanoTime();
            NodeProcess first = new NodeProcess(dir.resolve("archive"), launcher(jar,
                    List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off")), nodeArgs).start();
            awaitVersions(first.url());
            System.out.printf("# first start after the build (writes the class data archive at its stop): %.0f ms%n",
                    ms(System.nanoTime() - spawn));
            // Writing the archive takes seconds, many on a busy machine: a kill would leave none.
            first.close(Duration.ofMinutes(5));
            System.out.println("# class data archive " + (Files.exists(archive) ? "written" : "NOT written: starts without it"));
            launcher = launcher(jar, List.of());
        }
        System.out.println("# node command: " + String.join(" ", launcher.subList(0, launcher.size() - 1))
                .replaceAll("-cp \\S+", "-cp <classpath>") + " " + launcher.get(launcher.size() - 1) + " run ...");
        int starts = Math.max(1, options.get("starts"));
        long[] coldStarts = new long[starts];
        NodeProcess node = null;
        for (int i = 0; i < starts; i++) {
            if (node != null) {
                node.close();
            }
            long spawn = System.nanoTime();
            node = new NodeProcess(dir.resolve("node" + i), launcher, nodeArgs).start();
            awaitVersions(node.url());
            coldStarts[i] = System.nanoTime() - spawn;
            System.out.printf("# cold start %d: %.0f ms (node CPU %.2f s)%n", i + 1, ms(coldStarts[i]), cpuSeconds(node.pid()));
        }
        try (NodeProcess running = node) {
            Arrays.sort(coldStarts);
            report("cold start to first 200 on /versions (median of " + starts + ")",
                    String.format("%.0f ms", ms(coldStarts[starts / 2])), "<= 500 ms", coldStarts[starts / 2] <= 500e6);
            Thread.sleep(5000);
            long idleRss = rssKib(running.pid());
            report("idle RSS 5 s after start", String.format("%.1f MiB", idleRss / 1024.0), "<= 64 MiB",
                    idleRss <= 64 * 1024);
            wakeUps(running);
            load(running);
            System.out.printf("# RSS at the end: %.1f MiB, node CPU %.1f s%n", rssKib(running.pid()) / 1024.0,
                    cpuSeconds(running.pid()));
            System.out.println("# uptime at the end: " + uptime());
        }
    }

    /** B long-polls; A sends one message at a time once B's request is waiting. */
    private void wakeUps(NodeProcess node) throws Exception {
        URI url = node.url();
        int messages = options.get("messages");
        MatrixTestClient alice = new MatrixTestClient(url, http).register("alice", "alice password");
        MatrixTestClient bob = new MatrixTestClient(url, http).register("bob", "bob password");
        String roomId = alice.createRoom(JSON.createObjectNode().put("name", "wake-up"));
        alice.invite(roomId, bob.userId());
        bob.join(roomId);
        String since = bob.call("GET", "/_matrix/client/v3/sync?timeout=0&filter=" + MatrixTestClient.enc(LIVE_FILTER),
                null).path("next_batch").asText();
        ExecutorService syncer = Executors.newSingleThreadExecutor();
        long[] latencies = new long[messages];
        long[] sends = new long[messages];
        double cpuBefore = cpuSeconds(node.pid());
        try {
            for (int i = -WARMUP; i < messages; i++) {
                String body = "wake " + i;
                String from = since;
                Future<String> arrival = syncer.submit(() -> awaitBody(bob, from, body));
                // Let the long poll reach the server and wait there: this measures the wake-up, not a sync
                // that finds the event already stored.
                Thread.sleep(20);
                long start = System.nanoTime();
                alice.sendText(roomId, body);
                long sent = System.nanoTime() - start;
                since = arrival.get(60, TimeUnit.SECONDS);
                long latency = System.nanoTime() - start;
                if (i >= 0) {
                    latencies[i] = latency;
                    sends[i] = sent;
                }
            }
        } finally {
            syncer.shutdownNow();
        }
        double cpu = cpuSeconds(node.pid()) - cpuBefore;
        Arrays.sort(latencies);
        Arrays.sort(sends);
        System.out.printf("# wake-up latency over %d messages: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; "
                + "of which A's send request (answered after the commit): p50 %.1f ms, p99 %.1f ms; "
                + "node CPU %.2f ms a message (send and sync, with the %d warm-up messages)%n",
                messages, ms(percentile(latencies, 50)), ms(percentile(latencies, 90)), ms(percentile(latencies, 99)),
                ms(latencies[messages - 1]), ms(percentile(sends, 50)), ms(percentile(sends, 99)),
                cpu * 1000 / (messages + WARMUP), WARMUP);
        report("send -> other client's /sync wake-up, p50", String.format("%.1f ms", ms(percentile(latencies, 50))),
                "<= 5 ms", percentile(latencies, 50) <= 5e6);
        report("send -> other client's /sync wake-up, p99", String.format("%.1f ms", ms(percentile(latencies, 99))),
                "<= 20 ms", percentile(latencies, 99) <= 20e6);
    }

    /** Long-polls from {@code since} until a sync holds {@code body}; returns that sync's next_batch. */
    private static String awaitBody(MatrixTestClient client, String since, String body) throws Exception {
        String from = since;
        while (true) {
            JsonNode sync = client.call("GET", "/_matrix/client/v3/sync?timeout=30000&filter="
                    + MatrixTestClient.enc(LIVE_FILTER) + "&since=" + MatrixTestClient.enc(from), null);
            for (JsonNode room : sync.path("rooms").path("join")) {
                for (JsonNode event : room.path("timeline").path("events")) {
                    if (body.equals(event.path("content").path("body").asText())) {
                        return sync.path("next_batch").asText();
                    }
                }
            }
            from = sync.path("next_batch").asText();
        }
    }

    /** The senders fill the rooms; then the owner's initial sync. */
    private void load(NodeProcess node) throws Exception {
        int rooms = options.get("rooms");
        int events = options.get("events");
        int senders = options.get("senders");
        long setupStart = System.nanoTime();
        MatrixTestClient owner = new MatrixTestClient(node.url(), http).register("carol", "carol password");
        List<String> roomIds = new ArrayList<>();
        for (int i = 0; i < rooms; i++) {
            roomIds.add(owner.createRoom(JSON.createObjectNode().put("name", "room " + i).put("topic", "load " + i)));
        }
        long roomsDone = System.nanoTime();
        // Each sender is a device of the owner: one access token, one request in flight at a time.
        List<MatrixTestClient> devices = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            devices.add(new MatrixTestClient(node.url(), http).login("carol", "carol password"));
        }
        System.out.printf("# setup: %d rooms created in %.1f s, %d sender devices logged in in %.1f s%n", rooms,
                seconds(roomsDone - setupStart), senders, seconds(System.nanoTime() - roomsDone));
        double cpuBefore = cpuSeconds(node.pid());
        int total = rooms * events;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        int maxSeconds = 24 * 3600;
        AtomicLongArray perSecond = new AtomicLongArray(maxSeconds);
        long[] sendTimes = new long[total];
        AtomicBoolean stop = new AtomicBoolean();
        long loadStart = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (MatrixTestClient device : devices) {
            Thread thread = new Thread(() -> {
                int task;
                while (!stop.get() && (task = next.getAndIncrement()) < total) {
                    try {
                        long start = System.nanoTime();
                        device.sendText(roomIds.get(task % rooms), "message " + task / rooms + " of room " + task % rooms);
                        long end = System.nanoTime();
                        sendTimes[task] = end - start;
                        perSecond.incrementAndGet((int) Math.min(maxSeconds - 1, (end - loadStart) / 1_000_000_000L));
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                        stop.set(true);
                    }
                }
            }, "sender");
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long loadTime = System.nanoTime() - loadStart;
        if (failure.get() != null) {
            throw failure.get();
        }
        double cpuUsed = cpuSeconds(node.pid()) - cpuBefore;
        Arrays.sort(sendTimes);
        int fullSeconds = (int) (loadTime / 1_000_000_000L);
        long[] rates = new long[Math.max(1, fullSeconds)];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = perSecond.get(i);
        }
        Arrays.sort(rates);
        double eventsPerSecond = total / seconds(loadTime);
        System.out.printf("# load: %d messages by %d senders into %d rooms in %.1f s; per whole second: min %d, median %d,"
                + " max %d; send time p50 %.1f ms, p99 %.1f ms; node CPU %.1f s (%.2f ms an event)%n", total, senders,
                rooms, seconds(loadTime), rates[0], rates[rates.length / 2], rates[rates.length - 1],
                ms(percentile(sendTimes, 50)), ms(percentile(sendTimes, 99)), cpuUsed, cpuUsed * 1000 / total);
        report("accepted events/s, " + senders + " concurrent senders, durable commit",
                String.format("%.0f /s", eventsPerSecond), ">= 5,000 /s", eventsPerSecond >= 5000);
        System.out.printf("# setup of the initial sync (rooms, logins, messages) took %.1f s%n",
                seconds(System.nanoTime() - setupStart));
        initialSync(node, owner, rooms);
    }

    private void initialSync(NodeProcess node, MatrixTestClient owner, int rooms) throws Exception {
        int repeats = 5;
        long[] times = new long[repeats];
        long bytes = 0;
        for (int i = 0; i < repeats; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(ownerBase(owner) + "/_matrix/client/v3/sync?filter="
                    + MatrixTestClient.enc(INITIAL_SYNC_FILTER))).header("Authorization", "Bearer " + owner.accessToken())
                    .timeout(Duration.ofSeconds(300)).GET().build();
            double cpuBefore = cpuSeconds(node.pid());
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            times[i] = System.nanoTime() - start;
            double cpu = cpuSeconds(node.pid()) - cpuBefore;
            if (response.statusCode() != 200) {
                throw new IOException("initial sync answered " + response.statusCode());
            }
            bytes = response.body().length;
            int joined = JSON.readTree(response.body()).path("rooms").path("join").size();
            if (joined < rooms) {
                throw new IllegalStateException("initial sync holds " + joined + " rooms, not " + rooms);
            }
            System.out.printf("# initial sync %d: %.0f ms (node CPU %.0f ms)%n", i + 1, ms(times[i]), cpu * 1000);
        }
        long first = times[0];
        Arrays.sort(times);
        System.out.printf("# initial sync: %d rooms, %d bytes, filter %s; first %.0f ms, median of %d %.0f ms%n", rooms,
                bytes, INITIAL_SYNC_FILTER, ms(first), repeats, ms(times[repeats / 2]));
        report("initial sync, " + rooms + " rooms (median)", String.format("%.0f ms", ms(times[repeats / 2])),
                "<= 100 ms", times[repeats / 2] <= 100e6);
    }

    private static String ownerBase(MatrixTestClient client) {
        String base = client.base().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private void awaitVersions(URI url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/_matrix/client/versions"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(5);
        }
    }

    private static void report(String what, String measured, String goal, boolean met) {
        System.out.printf("%-60s %12s   goal %-12s %s%n", what, measured, goal, met ? "met" : "MISSED");
    }

    /** VmRSS of a process, in KiB. */
    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** User plus system CPU time of a process, in seconds (clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String uptime() {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return "load average " + load[0] + ", " + load[1] + ", " + load[2] + " (1, 5, 15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long percentile(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
