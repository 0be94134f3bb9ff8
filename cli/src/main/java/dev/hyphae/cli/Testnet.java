package dev.hyphae.cli;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test network in this process: starts the nodes of a {@link TestnetPlan}, makes the users and
 * rooms, sends messages while nodes restart and the network splits and heals, then counts what
 * arrived and measures memory. Progress goes to {@code out} as it happens.
 */
final class Testnet implements AutoCloseable {
    private static final String PASSWORD = "testnet-password";
    private static final int JOIN_ATTEMPTS = 5;
    private static final Duration JOIN_PAUSE = Duration.ofSeconds(5);
    private static final Duration FIRST_SYNC_WAIT = Duration.ofMinutes(2);
    private static final int STOPPERS = 8;

    private final TestnetPlan plan;
    private final PrintWriter out;
    private final List<TestnetNode> nodes = new ArrayList<>();
    // users.get(node).get(k): the k-th user of a node
    private final List<List<TestnetClient>> users = new ArrayList<>();
    private final List<String> roomIds = new ArrayList<>();
    private final List<SyncWatcher> watchers = new ArrayList<>();
    private final Deliveries deliveries = new Deliveries();
    private final List<TestnetResult.Convergence> convergence = new ArrayList<>();
    private final AtomicLong sendFailures = new AtomicLong();
    // Opens when the partition heals; churn waits for it so that the two are measured apart.
    private final java.util.concurrent.CountDownLatch healed = new java.util.concurrent.CountDownLatch(1);
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4, daemon("testnet-http"));
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("testnet-timer"));
    private final ExecutorService workers = Executors.newFixedThreadPool(4, daemon("testnet-worker"));
    private final SharedResources shared;
    private final HttpClient http = HttpClient.newBuilder().executor(httpThreads)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Testnet(TestnetPlan plan, PrintWriter out) {
        this.plan = plan;
        this.out = out;
        this.shared = SharedResources.forNodes(plan.nodes());
    }

    /** Runs the whole plan and returns its figures; throws if the network could not be set up. */
    TestnetResult run() throws InterruptedException {
        long t0 = System.nanoTime();
        startNodes();
        double startSeconds = seconds(System.nanoTime() - t0);
        long t1 = System.nanoTime();
        registerUsers();
        joinRooms();
        double joinSeconds = seconds(System.nanoTime() - t1);
        watchSyncs();
        TestnetResult.Memory idle = memory();
        print("memory idle: heap %d MiB (%d KiB a node), RSS %d MiB, %d threads", idle.heapUsedBytes() >> 20,
                idle.heapPerNode() >> 10, idle.rssBytes() >> 20, idle.threads());
        long wireBefore = wireBytes();
        sendTraffic();
        settle();
        int diverged = finalConvergence();
        long wire = wireBytes() - wireBefore;
        long[] lostAndDuplicated = countTimelines();
        TestnetResult.Memory end = memory();
        watchers.forEach(SyncWatcher::stop);
        return new TestnetResult(plan, deliveries.sentCount(), deliveries.deliveries(), deliveries.expectedCount(),
                convergence, sendFailures.get(), lostAndDuplicated[0], lostAndDuplicated[1], diverged, wire, idle, end,
                startSeconds, joinSeconds);
    }

    /** Starts node 0, the bootstrap peer, then the others four at a time. */
    private void startNodes() throws InterruptedException {
        Path nodesDir = plan.runDirectory().resolve("nodes");
        List<TestnetNode> all = new ArrayList<>();
        List<Multiaddr> bootstrap = List.of();
        for (int i = 0; i < plan.nodes(); i++) {
            Path dataDir = nodesDir.resolve("node-" + i);
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dataDir + ": " + e.getMessage(), e);
            }
            all.add(new TestnetNode(i, dataDir, bootstrap, plan.nodes(), shared));
            if (i == 0) {
                all.get(0).start(out);
                bootstrap = List.of(all.get(0).p2pAddress());
            }
        }
        // Added before the others start, so a failed start still closes every node already up.
        nodes.addAll(all);
        AtomicInteger started = new AtomicInteger(1);
        int step = progressStep(plan.nodes());
        List<Future<?>> starts = new ArrayList<>();
        for (TestnetNode node : all.subList(1, all.size())) {
            starts.add(workers.submit(() -> {
                node.start(out);
                int now = started.incrementAndGet();
                if (now == plan.nodes() || now % step == 0) {
                    print("nodes started %d/%d", now, plan.nodes());
                }
            }));
        }
        awaitAll(starts);
        for (TestnetNode node : nodes) {
            node.learnAddresses(nodes);
        }
    }

    private void registerUsers() throws InterruptedException {
        for (int i = 0; i < plan.nodes(); i++) {
            users.add(new ArrayList<>());
        }
        List<Future<?>> registrations = new ArrayList<>();
        for (TestnetNode node : nodes) {
            registrations.add(workers.submit(() -> {
                List<TestnetClient> mine = new ArrayList<>();
                for (int k = 0; k < plan.usersPerNode(); k++) {
                    mine.add(TestnetClient.register(http, node.url(), "tn" + node.index() + "u" + k, PASSWORD));
                }
                synchronized (users) {
                    users.set(node.index(), mine);
                }
            }));
        }
        awaitAll(registrations);
        print("users registered %d", plan.nodes() * plan.usersPerNode());
    }

    /** Creates each room on its first node, then every other node of the room joins over federation. */
    private void joinRooms() throws InterruptedException {
        for (int room = 0; room < plan.rooms(); room++) {
            int creator = plan.roomNodes(room)[0];
            roomIds.add(users.get(creator).get(0).createRoom("testnet room " + room));
        }
        int total = plan.rooms() * (plan.nodesPerRoom() * plan.usersPerNode() - 1);
        AtomicInteger joined = new AtomicInteger();
        int step = progressStep(total);
        List<Future<?>> joins = new ArrayList<>();
        for (int room = 0; room < plan.rooms(); room++) {
            int[] members = plan.roomNodes(room);
            String roomId = roomIds.get(room);
            String via = nodes.get(members[0]).serverName();
            for (int m = 0; m < members.length; m++) {
                int node = members[m];
                int firstUser = m == 0 ? 1 : 0;
                Multiaddr creatorAddress = nodes.get(members[0]).p2pAddress();
                joins.add(workers.submit(() -> {
                    for (int k = firstUser; k < plan.usersPerNode(); k++) {
                        join(node, users.get(node).get(k), roomId, via,
                                node == members[0] ? Optional.empty() : Optional.of(creatorAddress));
                        int now = joined.incrementAndGet();
                        if (now == total || now % step == 0) {
                            print("rooms joined %d/%d", now, total);
                        }
                    }
                }));
            }
        }
        awaitAll(joins);
        if (total == 0) {
            print("rooms joined 0/0");
        }
    }

    /**
     * Joins over federation, first connecting to the room's creator as a user following an invite
     * link would (so the join does not wait for the DHT to find it). A node too busy to answer in
     * time is tried again after a pause that doubles each time (5 s, 10 s, 20 s, 40 s), connecting
     * again first, since a starved connection may have been closed meanwhile; a join that already
     * took effect answers the retry at once.
     */
    private void join(int node, TestnetClient user, String roomId, String via, Optional<Multiaddr> creator) {
        for (int attempt = 1; ; attempt++) {
            creator.ifPresent(address -> awaitQuietly(nodes.get(node).connect(address)));
            try {
                user.join(roomId, via);
                return;
            } catch (RuntimeException e) {
                if (attempt == JOIN_ATTEMPTS) {
                    throw new IllegalStateException("node " + node + " could not join " + roomId + " in "
                            + JOIN_ATTEMPTS + " attempts: " + e.getMessage(), e);
                }
                print("join of node %d failed (attempt %d of %d), trying again: %s", node, attempt, JOIN_ATTEMPTS,
                        e.getMessage());
                sleepUntil(System.nanoTime() + (JOIN_PAUSE.toNanos() << (attempt - 1)));
            }
        }
    }

    private static void awaitQuietly(CompletableFuture<Void> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // The join that follows reports what is wrong.
        }
    }

    /**
     * Starts every node's sync watcher and waits for each first /sync: a crowded process answers a
     * hundred of them at once slowly, so the wait grows with the nodes (two minutes, plus three
     * seconds a node past forty). A watcher still waiting then does not stop the run: it keeps
     * polling, and its first answer carries the room's latest messages, which count as delivered
     * when it comes (measured at 100 nodes: 90 answered within the wait while the nodes were still
     * exchanging the joins, the last ten did not).
     */
    private void watchSyncs() throws InterruptedException {
        List<CompletableFuture<Void>> first = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        int step = progressStep(nodes.size());
        for (TestnetNode node : nodes) {
            SyncWatcher watcher = new SyncWatcher(node.index(), users.get(node.index()).get(0), deliveries, timers);
            watchers.add(watcher);
            first.add(watcher.start().thenRun(() -> {
                int now = answered.incrementAndGet();
                if (now == nodes.size() || now % step == 0) {
                    print("first syncs answered %d/%d", now, nodes.size());
                }
            }));
        }
        Duration wait = FIRST_SYNC_WAIT.plusSeconds(3L * Math.max(0, nodes.size() - 40));
        try {
            CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("watching /sync failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            print("first syncs answered %d/%d after %s; the others keep polling", answered.get(), nodes.size(),
                    human(wait));
        }
    }

    /** Sends at the planned rate for the planned duration while churn and the partition run beside. */
    private void sendTraffic() throws InterruptedException {
        print("sending %.1f messages a second for %s", plan.rate(), human(plan.duration()));
        long start = System.nanoTime();
        long end = start + plan.duration().toNanos();
        List<Future<?>> disruptions = new ArrayList<>();
        if (plan.churn() > 0) {
            disruptions.add(workers.submit(() -> churn(start)));
        }
        if (plan.partitioned()) {
            disruptions.add(workers.submit(() -> partition(start)));
        }
        ExecutorService senders = Executors.newFixedThreadPool(8, daemon("testnet-sender"));
        long interval = (long) (1e9 / plan.rate());
        long nextProgress = start + 5_000_000_000L;
        java.util.Random random = new java.util.Random(42);
        try {
            for (long at = start; at < end; at += interval) {
                sleepUntil(at);
                int room = random.nextInt(plan.rooms());
                int[] members = plan.roomNodes(room);
                int node = members[random.nextInt(members.length)];
                int user = random.nextInt(plan.usersPerNode());
                senders.execute(() -> send(room, node, user));
                if (System.nanoTime() >= nextProgress) {
                    progress("sending");
                    nextProgress += 5_000_000_000L;
                }
            }
        } finally {
            senders.shutdown();
            senders.awaitTermination(2, TimeUnit.MINUTES);
        }
        awaitAll(disruptions);
        progress("sent");
    }

    private void send(int room, int node, int user) {
        TestnetNode target = nodes.get(node);
        if (!target.running()) {
            return;
        }
        String body = deliveries.nextBody();
        long sentAt = System.nanoTime();
        try {
            users.get(node).get(user).sendText(roomIds.get(room), body);
            deliveries.sent(body, room, node, sentAt, plan.nodesPerRoom() - 1);
        } catch (RuntimeException e) {
            // The node stopped for churn while the request was under way: the message was never accepted.
            sendFailures.incrementAndGet();
        }
    }

    /**
     * Stops and restarts nodes 1, 2, ... in turn at even intervals (node 0 is everyone's bootstrap
     * peer); with a partition, only in the second half of the traffic, after the partition healed,
     * so that each disruption's convergence is measured on its own.
     */
    private void churn(long start) {
        long from = plan.partitioned() ? plan.duration().toNanos() / 2 : 0;
        long every = (plan.duration().toNanos() - from) / (plan.churn() + 1);
        for (int k = 0; k < plan.churn(); k++) {
            sleepUntil(start + from + every * (k + 1));
            if (plan.partitioned()) {
                awaitHeal();
            }
            TestnetNode node = nodes.get(1 + k % (plan.nodes() - 1));
            print("churn: stopping node %d", node.index());
            node.stop();
            sleepUntil(System.nanoTime() + plan.churnDowntime().toNanos());
            node.start(out);
            node.reconnect(peersOf(node.index(), n -> true));
            long restarted = System.nanoTime();
            print("churn: node %d restarted", node.index());
            measureConvergence("restart of node " + node.index(), restarted);
        }
    }

    /**
     * Cuts the network between the two halves a quarter into the traffic, changes each room's topic
     * on both sides while cut (a state conflict to resolve), then heals and measures convergence.
     */
    private void partition(long start) {
        sleepUntil(start + plan.duration().toNanos() / 4);
        long cutAt = System.nanoTime();
        for (TestnetNode node : nodes) {
            Set<PeerId> other = new HashSet<>(peersOf(node.index(), n -> plan.side(n) != plan.side(node.index())));
            node.cut(other);
        }
        print("partition: nodes 0-%d cut from nodes %d-%d for %s", plan.nodes() / 2 - 1, plan.nodes() / 2,
                plan.nodes() - 1, human(plan.partition()));
        sleepUntil(cutAt + plan.partition().toNanos() / 2);
        // On a worker: a slow node must not delay the heal past its planned time.
        Future<?> topics = workers.submit(this::setTopicsOnBothSides);
        sleepUntil(cutAt + plan.partition().toNanos());
        nodes.forEach(TestnetNode::heal);
        long healedAt = System.nanoTime();
        healed.countDown();
        for (TestnetNode node : nodes) {
            node.reconnect(peersOf(node.index(), n -> plan.side(n) != plan.side(node.index())));
        }
        print("partition healed");
        try {
            topics.get();
        } catch (java.util.concurrent.ExecutionException e) {
            print("partition: setting topics failed: %s", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        measureConvergence("partition healed", healedAt);
    }

    /** One member on each side of the partition sets each room's topic: a state conflict to resolve. */
    private void setTopicsOnBothSides() {
        for (int room = 0; room < plan.rooms(); room++) {
            for (int side = 0; side < 2; side++) {
                for (int node : plan.roomNodes(room)) {
                    if (plan.side(node) == side && nodes.get(node).running()) {
                        try {
                            users.get(node).get(0).setTopic(roomIds.get(room), "side " + side + " during partition");
                        } catch (RuntimeException e) {
                            print("partition: topic on node %d failed: %s", node, e.getMessage());
                        }
                        break;
                    }
                }
            }
        }
    }

    private void awaitHeal() {
        try {
            healed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private List<PeerId> peersOf(int self, java.util.function.IntPredicate which) {
        List<PeerId> peers = new ArrayList<>();
        for (TestnetNode node : nodes) {
            if (node.index() != self && which.test(node.index())) {
                peers.add(node.peerId());
            }
        }
        return peers;
    }

    /** Polls every room's state on its running nodes until they agree, and records how long that took. */
    private int measureConvergence(String event, long since) {
        long deadline = System.nanoTime() + plan.settle().toNanos();
        Set<Integer> pending = new HashSet<>();
        for (int room = 0; room < plan.rooms(); room++) {
            pending.add(room);
        }
        while (!pending.isEmpty()) {
            for (Integer room : List.copyOf(pending)) {
                if (agrees(room)) {
                    pending.remove(room);
                    record(new TestnetResult.Convergence(event, room, seconds(System.nanoTime() - since), true));
                }
            }
            if (pending.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            sleepUntil(System.nanoTime() + 200_000_000L);
        }
        for (Integer room : pending) {
            record(new TestnetResult.Convergence(event, room, seconds(System.nanoTime() - since), false));
        }
        print("%s: %d/%d rooms in one state after %.1f s", event, plan.rooms() - pending.size(), plan.rooms(),
                seconds(System.nanoTime() - since));
        return pending.size();
    }

    private void record(TestnetResult.Convergence result) {
        synchronized (convergence) {
            convergence.add(result);
        }
    }

    /** Whether every running node of {@code room} reports the same current state. */
    private boolean agrees(int room) {
        Set<String> states = new HashSet<>();
        for (int node : plan.roomNodes(room)) {
            if (!nodes.get(node).running()) {
                continue;
            }
            try {
                states.add(users.get(node).get(0).stateFingerprint(roomIds.get(room)));
            } catch (RuntimeException e) {
                return false;
            }
            if (states.size() > 1) {
                return false;
            }
        }
        return true;
    }

    /** Waits for every owed delivery, up to the settle time. */
    private void settle() {
        long deadline = System.nanoTime() + plan.settle().toNanos();
        long nextProgress = System.nanoTime() + 5_000_000_000L;
        while (deliveries.deliveredCount() < deliveries.expectedCount() && System.nanoTime() < deadline) {
            sleepUntil(System.nanoTime() + 100_000_000L);
            if (System.nanoTime() >= nextProgress) {
                progress("settling");
                nextProgress += 5_000_000_000L;
            }
        }
        progress("settled");
    }

    private int finalConvergence() {
        return measureConvergence("end of traffic", System.nanoTime());
    }

    /** Reads every member node's timeline of every room: {lost, duplicated} (message, node) pairs. */
    private long[] countTimelines() throws InterruptedException {
        Map<Integer, List<Long>> byRoom = new HashMap<>();
        for (Deliveries.Sent message : deliveries.sentMessages()) {
            byRoom.computeIfAbsent(message.room(), r -> new ArrayList<>()).add(message.number());
        }
        AtomicLong lost = new AtomicLong();
        AtomicLong duplicated = new AtomicLong();
        List<Future<?>> reads = new ArrayList<>();
        for (int room = 0; room < plan.rooms(); room++) {
            int r = room;
            List<Long> sentHere = byRoom.getOrDefault(room, List.of());
            for (int node : plan.roomNodes(room)) {
                reads.add(workers.submit(() -> {
                    Map<String, Integer> counts = new HashMap<>();
                    for (String text : users.get(node).get(0).texts(roomIds.get(r))) {
                        counts.merge(text, 1, Integer::sum);
                    }
                    for (long number : sentHere) {
                        int count = counts.getOrDefault("tn-" + number, 0);
                        if (count == 0) {
                            lost.incrementAndGet();
                        } else if (count > 1) {
                            duplicated.incrementAndGet();
                        }
                    }
                }));
            }
        }
        awaitAll(reads);
        print("timelines read: %d lost, %d duplicated", lost.get(), duplicated.get());
        return new long[] {lost.get(), duplicated.get()};
    }

    private long wireBytes() {
        return nodes.stream().mapToLong(TestnetNode::bytesSent).sum();
    }

    private TestnetResult.Memory memory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new TestnetResult.Memory(heap, residentSetSize(), Thread.activeCount(), plan.nodes());
    }

    /** VmRSS of /proc/self/status; 0 where there is no /proc (not Linux). */
    static long residentSetSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private void progress(String phase) {
        print("%s: messages sent %d, delivered %d/%d", phase, deliveries.sentCount(), deliveries.deliveredCount(),
                deliveries.expectedCount());
    }

    private void print(String format, Object... args) {
        synchronized (out) {
            out.println("testnet: " + String.format(java.util.Locale.ROOT, format, args));
            out.flush();
        }
    }

    private static int progressStep(int total) {
        return Math.max(1, total / 10);
    }

    private static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static void awaitAll(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Stops the watchers and every node, then this process's own threads. Nodes stop several at a
     * time: a node closes its connections one by one, and a hundred nodes one after another on
     * a crowded process took minutes.
     */
    @Override
    public void close() {
        watchers.forEach(SyncWatcher::stop);
        RuntimeException failure = null;
        ExecutorService stoppers = Executors.newFixedThreadPool(STOPPERS, daemon("testnet-stop"));
        List<Future<?>> stops = new ArrayList<>();
        for (TestnetNode node : nodes) {
            stops.add(stoppers.submit(node::stop));
        }
        for (Future<?> stop : stops) {
            try {
                stop.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException("stopping a node failed", e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        stoppers.shutdownNow();
        workers.shutdownNow();
        timers.shutdownNow();
        httpThreads.shutdownNow();
        shared.close();
        if (failure != null) {
            throw failure;
        }
    }
}
