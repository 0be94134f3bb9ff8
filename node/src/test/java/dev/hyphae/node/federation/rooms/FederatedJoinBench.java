package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.PduVerifier;
import dev.hyphae.node.event.VerifiedSignatures;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.node.roomserver.RoomPreset;
import dev.hyphae.node.stateres.StateResolver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Times joining a big room without HTTP or libp2p: node A (in-process) builds a public room with
 * {@code members} joined members; then, several rounds each on a fresh node,
 * <ol>
 * <li>{@code import}: {@link OutlierEvents#importAll} of the room's state and auth chain as a
 * {@code send_join} answer holds them (B's share of a join), and</li>
 * <li>{@code join}: a whole join of a user of a fresh node B through A ({@code make_join},
 * {@code send_join}, the import and B's join), both sides in this JVM.</li>
 * </ol>
 * Prints wall time, this process's CPU time (all threads) and the load average. Not a test:
 * {@code java -cp ... dev.hyphae.node.federation.rooms.FederatedJoinBench [members] [rounds]}.
 */
public final class FederatedJoinBench {
    private static final java.util.concurrent.ExecutorService POOL = VerificationPool.create();

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.println("# federated join bench: members=" + members + " rounds=" + rounds + " nproc="
                + Runtime.getRuntime().availableProcessors() + " load " + loadAverage());
        Path dir = Files.createTempDirectory("hyphae-join-bench");
        TestFederation network = new TestFederation();
        FederatedTestNode a = new FederatedTestNode(dir.resolve("a"), 1, network);
        try {
            String alice = a.user("alice");
            long start = System.nanoTime();
            String roomId = a.creator.createRoom(new CreateRoomRequest(alice, null, RoomPreset.PUBLIC_CHAT, "public",
                    null, "crowd", null, List.of(), false, null, List.of(), null));
            for (int m = 1; m < members; m++) {
                a.memberships.join(roomId, a.user("member" + m), null);
            }
            System.out.printf("# room of %d members built on A in %.1f s%n", members, (System.nanoTime() - start) / 1e9);
            RoomEvents aEvents = events(a);
            RoomVersion version = aEvents.version(roomId).orElseThrow();
            List<JsonNode> answer = sendJoinEvents(aEvents, a.state(roomId).values(), roomId, version);
            System.out.println("# a send_join answer holds " + answer.size() + " events");
            for (int round = 1; round <= rounds; round++) {
                for (boolean parallel : new boolean[] {false, true}) {
                    FederatedTestNode c = new FederatedTestNode(dir.resolve("c" + round + parallel), 100 + round, network);
                    try {
                        OutlierEvents outliers = outliers(c, parallel);
                        Measure measure = Measure.start();
                        OutlierEvents.Imported imported = outliers.importAll(roomId, version, answer);
                        measure.print("import round " + round + (parallel ? " (parallel checks)" : " (sequential checks)")
                                + ": " + imported.events().size() + " events, " + imported.rejected().size() + " rejected");
                    } finally {
                        c.close();
                    }
                }
                FederatedTestNode b = new FederatedTestNode(dir.resolve("b" + round), 10 + round, network);
                try {
                    Measure measure = Measure.start();
                    b.memberships.join(roomId, b.user("bob"), null, List.of(a.serverName));
                    measure.print("join round " + round + " (both sides)");
                } finally {
                    b.close();
                }
            }
            System.out.println("# load average at the end: " + loadAverage());
        } finally {
            a.close();
            delete(dir);
        }
    }

    /** The events a {@code send_join} answer for {@code state} holds: the auth chain, then the state. */
    static List<JsonNode> sendJoinEvents(RoomEvents events, Collection<String> state, String roomId, RoomVersion version) {
        List<JsonNode> jsons = new ArrayList<>();
        Set<String> chain = events.authChain(state, roomId, version);
        events.pdus(chain, version).values().forEach(pdu -> jsons.add(pdu.json()));
        events.pdus(state, version).values().forEach(pdu -> jsons.add(pdu.json()));
        return jsons;
    }

    static RoomEvents events(FederatedTestNode node) {
        return new RoomEvents(node.store, new StateResolver(new AuthorizationRules(HomeserverSignatures.verifiedBefore())));
    }

    /** The outlier import of {@code node}, built as {@link FederationRooms} builds it, or checking on one thread. */
    static OutlierEvents outliers(FederatedTestNode node, boolean parallel) {
        PduVerifier verifier = new PduVerifier(new OnionServerKeys(), new VerifiedSignatures(10_000));
        PduChecks checks = new PduChecks(verifier);
        PduBatchChecks batch = parallel ? new PduBatchChecks(checks, POOL, VerificationPool.helpers())
                : PduBatchChecks.sequential(checks);
        return new OutlierEvents(batch, new AuthChecks(new AuthorizationRules(verifier::isValidlySignedBy)),
                events(node), new RemoteEventWriter(node.sender, Clock.systemUTC()));
    }

    /** Wall time and this process's CPU time from start to print. */
    private record Measure(long wall, long cpu) {
        static Measure start() {
            return new Measure(System.nanoTime(), processCpu());
        }

        void print(String what) {
            long wallNanos = System.nanoTime() - wall;
            long cpuNanos = processCpu() - cpu;
            System.out.printf("%s: wall %.0f ms, CPU %.0f ms, load %s%n", what, wallNanos / 1e6, cpuNanos / 1e6,
                    loadAverage());
        }

        private static long processCpu() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            return threads.getCurrentThreadCpuTime();
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private FederatedJoinBench() {
    }

    private static void delete(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
