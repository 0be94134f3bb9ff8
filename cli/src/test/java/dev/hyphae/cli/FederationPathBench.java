package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.federation.FederationStack;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.store.StateTuple;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.sqlite.SqliteStore;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the federation path itself, without A's client API and its rate limits: A and B
 * share rooms as in {@link FederationBench}; then A is stopped and this process takes A's place
 * (A's identity key, A's libp2p peer ID and server name, A's rooms read from A's store), builds
 * and signs message events of A's user into those rooms ahead of time, and sends them to B as A's
 * federation sender would: transactions of 50 PDUs, one in flight, over libp2p. It prints the
 * PDUs/s B accepted (answers to the transactions) and the PDUs/s that reached B's client through
 * {@code /sync}, with the CPU time B's process spent on them.
 *
 * <p>B's per-peer federation rate limit (50 requests/s, a burst of 200) allows 10,000 PDUs in
 * full transactions at once; larger runs meet it.
 */
final class FederationPathBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYNC_FILTER = "{\"room\":{\"timeline\":{\"limit\":5000}}}";
    /** Bob's /sync, followed while the run lasts. */
    private SyncFollower bobSync;
    private static final int TRANSACTION_PDUS = 50;


    /** A room as A left it: its version, its only forward extremity and the auth events of A's user. */
    private record RoomHead(String roomId, RoomVersion version, String prev, long depth, Map<StateKey, String> state) {
    }

    void run(int rooms, int pdus) throws Exception {
        System.out.println("# federation path benchmark, rooms=" + rooms + " pdus=" + pdus + ", load average "
                + FederationBench.loadAverage());
        Path dir = Files.createTempDirectory("hyphae-fed-path-bench");
        System.out.println("# data and logs: " + dir);
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        NodeProcess a = new NodeProcess(dir.resolve("a"), List.of()).start();
        try (NodeProcess b = new NodeProcess(dir.resolve("b"), List.of("--bootstrap", a.p2pAddress())).start()) {
            MatrixTestClient alice = new MatrixTestClient(a.url()).register("alice", "alice password");
            MatrixTestClient bob = new MatrixTestClient(b.url()).register("bob", "bob password");
            bobSync = new SyncFollower(bob, SYNC_FILTER);
            List<String> roomIds = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                String roomId = alice.createRoom(JSON.createObjectNode().put("name", "path " + r));
                alice.invite(roomId, bob.userId());
                bob.join(roomId, a.serverName());
                roomIds.add(roomId);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!bobSync.joinedRooms().keySet().containsAll(roomIds) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // Let A's last transactions (bob's joins echo nothing back, but A may still send) settle.
            Thread.sleep(2000);
            String aServer = a.serverName();
            String aliceId = alice.userId();
            a.close();
            List<RoomHead> heads = readHeads(dir.resolve("a"), roomIds);
            NodeIdentity identity = NodeIdentity.loadOrCreate(dir.resolve("a"), random);
            if (!identity.serverName().equals(aServer)) {
                throw new IllegalStateException("A's data directory holds another identity");
            }
            List<List<Pdu>> transactions = buildTransactions(identity, aliceId, heads, pdus, random);
            Libp2pHost host = new Libp2pHost(PrivateKey.fromSeed(identity.seed()),
                    HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                            List.of(Multiaddr.parse(b.p2pAddress()))), random, clock);
            try (FederationStack stack = new FederationStack(identity, host, new OnionServerKeys(), List.of(),
                    FederationSettings.defaults(), "bench", clock)) {
                host.start();
                host.dial(Multiaddr.parse(b.p2pAddress())).get(60, TimeUnit.SECONDS);
                // One transaction without PDUs first: the connection and B's view of A are up.
                stack.client().request(FederationRequest.put(b.serverName(), "/_matrix/federation/v1/send/warmup",
                        transactionBody(aServer, List.of(), clock))).get(60, TimeUnit.SECONDS);
                Duration cpuBefore = FederationBench.cpuOf(b);
                long start = System.nanoTime();
                int refused = 0;
                long[] roundTrips = new long[transactions.size()];
                for (int t = 0; t < transactions.size(); t++) {
                    long sent = System.nanoTime();
                    JsonNode answer = stack.client().request(FederationRequest.put(b.serverName(),
                            "/_matrix/federation/v1/send/path" + t, transactionBody(aServer, transactions.get(t), clock)))
                            .get(120, TimeUnit.SECONDS);
                    roundTrips[t] = System.nanoTime() - sent;
                    for (Iterator<JsonNode> results = answer.path("pdus").elements(); results.hasNext();) {
                        if (results.next().has("error")) {
                            refused++;
                        }
                    }
                }
                long answered = System.nanoTime();
                Duration cpuAnswered = FederationBench.cpuOf(b).minus(cpuBefore);
                long lastArrival = start;
                int arrived = 0;
                long arrivalDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                for (int i = 0; i < pdus; i++) {
                    Long at = awaitArrival("path " + i, arrivalDeadline);
                    if (at != null) {
                        lastArrival = Math.max(lastArrival, at);
                        arrived++;
                    }
                }
                Duration cpuAll = FederationBench.cpuOf(b).minus(cpuBefore);
                Arrays.sort(roundTrips);
                System.out.printf("federation path, %d PDUs in %d transactions of up to %d into %d rooms, one in flight: "
                        + "B answered them at %.0f PDUs/s (%d refused); B's client received %d of them, %.0f PDUs/s "
                        + "(goal: >= 5,000 PDUs/s)%n", pdus, transactions.size(), TRANSACTION_PDUS, rooms,
                        pdus / seconds(answered - start), refused, arrived, arrived / seconds(lastArrival - start));
                System.out.printf("# transaction round trip p50 %.1f ms, p99 %.1f ms; B's CPU time: %.2f ms per PDU "
                        + "until answered, %.2f ms per PDU with /sync%n",
                        FederationBench.ms(roundTrips[roundTrips.length / 2]),
                        FederationBench.ms(roundTrips[Math.max(0, (int) Math.ceil(roundTrips.length * 0.99) - 1)]),
                        cpuAnswered.toNanos() / 1e6 / pdus, cpuAll.toNanos() / 1e6 / pdus);
            } finally {
                host.close();
            }
            System.out.println("# load average at the end: " + FederationBench.loadAverage());
            bobSync.close();
        } finally {
            a.close();
        }
    }

    /** Each room's head in A's store: A is stopped, and nothing else writes to it. */
    private static List<RoomHead> readHeads(Path aDir, List<String> roomIds) {
        SqliteStore store = SqliteStore.openInDirectory(aDir);
        try {
            return store.read(tx -> {
                List<RoomHead> heads = new ArrayList<>();
                for (String roomId : roomIds) {
                    RoomVersion version = RoomVersions.find(tx.rooms().get(roomId).orElseThrow().roomVersion())
                            .orElseThrow();
                    Set<String> extremities = tx.forwardExtremities().get(roomId);
                    if (extremities.size() != 1) {
                        throw new IllegalStateException(roomId + " has extremities " + extremities);
                    }
                    String prev = extremities.iterator().next();
                    StoredEvent last = tx.events().get(prev).orElseThrow();
                    long group = tx.stateSnapshots().eventState(prev).orElseThrow().stateAfterGroup();
                    Map<StateKey, String> state = new HashMap<>();
                    for (Map.Entry<StateTuple, String> entry : tx.stateSnapshots().state(group).entrySet()) {
                        state.put(StateKey.of(entry.getKey().type(), entry.getKey().stateKey()), entry.getValue());
                    }
                    heads.add(new RoomHead(roomId, version, prev, last.depth(), state));
                }
                return heads;
            });
        } finally {
            store.close();
        }
    }

    /** The messages, signed as A, round-robin over the rooms, each on its room's previous one. */
    private static List<List<Pdu>> buildTransactions(NodeIdentity identity, String sender, List<RoomHead> heads,
            int pdus, SecureRandom random) {
        EventSigner signer = new EventSigner(identity.serverName(), identity.signingKey(), random);
        AuthorizationRules rules = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
        String[] prevs = heads.stream().map(RoomHead::prev).toArray(String[]::new);
        long[] depths = heads.stream().mapToLong(RoomHead::depth).toArray();
        List<List<Pdu>> transactions = new ArrayList<>();
        List<Pdu> current = new ArrayList<>();
        for (int i = 0; i < pdus; i++) {
            int r = i % heads.size();
            RoomHead head = heads.get(r);
            ObjectNode event = JSON.createObjectNode();
            event.put("room_id", head.roomId());
            event.put("sender", sender);
            event.put("type", "m.room.message");
            event.putObject("content").put("msgtype", "m.text").put("body", "path " + i);
            event.put("origin_server_ts", System.currentTimeMillis());
            event.put("depth", ++depths[r]);
            event.putArray("prev_events").add(prevs[r]);
            ArrayNode auth = event.putArray("auth_events");
            for (StateKey key : rules.authStateKeys(new Pdu("$selection", event.deepCopy(), head.version()))) {
                String id = head.state().get(key);
                if (id != null) {
                    auth.add(id);
                }
            }
            Pdu pdu = signer.finish(event, head.version());
            prevs[r] = pdu.eventId();
            current.add(pdu);
            if (current.size() == TRANSACTION_PDUS) {
                transactions.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            transactions.add(current);
        }
        return transactions;
    }

    private static ObjectNode transactionBody(String origin, List<Pdu> pdus, Clock clock) {
        ObjectNode body = JSON.createObjectNode();
        body.put("origin", origin);
        body.put("origin_server_ts", clock.millis());
        ArrayNode array = body.putArray("pdus");
        pdus.forEach(pdu -> array.add(pdu.json()));
        return body;
    }

    /** When the message reached B's client; null (and a note) when it did not by {@code deadline}. */
    private Long awaitArrival(String body, long deadline) throws InterruptedException {
        Long arrived;
        while ((arrived = bobSync.arrivals().get(body)) == null) {
            if (System.nanoTime() > deadline) {
                System.out.println("# \"" + body + "\" did not reach B in time");
                return null;
            }
            Thread.sleep(0, 200_000);
        }
        return arrived;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
