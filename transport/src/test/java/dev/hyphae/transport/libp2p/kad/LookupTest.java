package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.peer.PeerId;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The iterative lookup against a simulated network of routing tables, with no sockets. */
class LookupTest {

    private final Random random = new Random(2024);
    private final Map<PeerId, RoutingTable> network = new HashMap<>();
    private final List<KadPeer> peers = new ArrayList<>();

    LookupTest() {
        for (int i = 0; i < 200; i++) {
            KadPeer p = KadTestPeers.peer(random, 1000 + i);
            peers.add(p);
            network.put(p.id(), new RoutingTable(p.id(), 20, Duration.ofHours(1), new RoutingTableTest.MutableClock(),
                x -> CompletableFuture.completedFuture(true)));
        }
        // every node has met every other, in its own order; full buckets keep only the first k,
        // so far regions are known sparsely and near ones completely, as Kademlia intends
        for (KadPeer p : peers) {
            List<KadPeer> order = new ArrayList<>(peers);
            java.util.Collections.shuffle(order, random);
            order.forEach(network.get(p.id())::seen);
        }
    }

    private CompletableFuture<List<KadPeer>> ask(KadPeer peer, KadId target, Set<PeerId> dead, AtomicInteger concurrent,
                                                 AtomicInteger maxConcurrent) {
        if (dead.contains(peer.id())) {
            return CompletableFuture.failedFuture(new java.io.IOException("unreachable"));
        }
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        // answer later, from another thread, as the network would
        return CompletableFuture.supplyAsync(() -> {
            // a live node has long evicted the dead from its table
            List<KadPeer> answer = network.get(peer.id()).closest(target, 60).stream()
                .filter(p -> !dead.contains(p.id())).limit(20).toList();
            concurrent.decrementAndGet();
            return answer;
        }, CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Test
    void lookupFindsTheTrueKClosestAliveNodesWithBoundedConcurrency() throws Exception {
        KadPeer self = peers.get(0);
        Set<PeerId> dead = new HashSet<>();
        for (int i = 1; i < peers.size(); i += 7) {
            dead.add(peers.get(i).id());
        }
        KadId target = KadId.ofKey(new byte[] {42});
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        Lookup lookup = new Lookup(target, self.id(), 20, 3, p -> ask(p, target, dead, concurrent, max), () -> false);
        List<KadPeer> found = lookup.run(network.get(self.id()).closest(target, 20)).get();

        List<KadPeer> expected = new ArrayList<>(peers.subList(1, peers.size()));
        expected.removeIf(p -> dead.contains(p.id()));
        expected.sort(Comparator.comparing(p -> new BigInteger(1, target.distance(p.kadId()))));
        assertEquals(expected.subList(0, 20), found);
        assertTrue(max.get() <= 3, "at most alpha requests in flight, saw " + max.get());
    }

    @Test
    void lookupStopsAsSoonAsTheCallerIsSatisfied() throws Exception {
        KadPeer self = peers.get(0);
        KadId target = KadId.ofKey(new byte[] {7});
        AtomicInteger asked = new AtomicInteger();
        Lookup lookup = new Lookup(target, self.id(), 20, 3, p -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(network.get(p.id()).closest(target, 20));
        }, () -> asked.get() >= 2);
        lookup.run(network.get(self.id()).closest(target, 20)).get();
        assertTrue(asked.get() <= 4, "asked " + asked.get());
    }

    @Test
    void lookupWithNoSeedsEndsEmpty() throws Exception {
        Lookup lookup = new Lookup(KadId.ofKey(new byte[] {1}), peers.get(0).id(), 20, 3,
            p -> CompletableFuture.completedFuture(List.of()), () -> false);
        assertEquals(List.of(), lookup.run(List.of()).get());
    }
}
