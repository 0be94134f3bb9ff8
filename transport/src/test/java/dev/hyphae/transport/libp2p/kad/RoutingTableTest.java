package dev.hyphae.transport.libp2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.peer.PeerId;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private final Random random = new Random(42);
    private final PeerId local = KadTestPeers.peerId(random);
    private final MutableClock clock = new MutableClock();
    private final List<KadPeer> pinged = new ArrayList<>();
    private final List<CompletableFuture<Boolean>> pings = new ArrayList<>();

    private RoutingTable table(int k) {
        return new RoutingTable(local, k, Duration.ofMinutes(10), clock, peer -> {
            pinged.add(peer);
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            pings.add(f);
            return f;
        });
    }

    @Test
    void closestReturnsPeersSortedByXorDistanceAndAtMostCount() {
        RoutingTable table = table(20);
        List<KadPeer> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            KadPeer p = KadTestPeers.peer(random, 4000 + i);
            if (table.seen(p)) {
                all.add(p);
            }
        }
        KadId target = KadId.ofKey(new byte[] {1, 2, 3});
        all.sort(Comparator.comparing(p -> new BigInteger(1, target.distance(p.kadId()))));
        assertEquals(all.subList(0, 20), table.closest(target, 20));
        assertEquals(all.size(), table.size());
    }

    @Test
    void localPeerIsNeverAdded() {
        RoutingTable table = table(20);
        assertFalse(table.seen(new KadPeer(local, List.of())));
        assertEquals(0, table.size());
    }

    @Test
    void fullBucketQueuesNewcomersAndKeepsFreshEntriesWithoutPinging() {
        RoutingTable table = table(2);
        KadPeer a = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer b = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer c = KadTestPeers.peerInBucket(random, local, 0);
        assertTrue(table.seen(a));
        assertTrue(table.seen(b));
        assertFalse(table.seen(c));
        assertTrue(pinged.isEmpty(), "entries seen just now need no ping");
        assertEquals(List.of(c), table.replacementsFor(c.id()));
        assertTrue(table.find(a.id()).isPresent());
    }

    @Test
    void staleEntryThatFailsItsPingIsReplacedByTheNewcomer() {
        RoutingTable table = table(2);
        KadPeer a = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer b = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer c = KadTestPeers.peerInBucket(random, local, 0);
        table.seen(a);
        clock.advance(Duration.ofMinutes(5));
        table.seen(b);
        clock.advance(Duration.ofMinutes(6)); // a is now stale, b is not
        assertFalse(table.seen(c));
        assertEquals(List.of(a), pinged, "the least recently seen entry is checked");
        pings.get(0).complete(false);
        assertTrue(table.find(a.id()).isEmpty());
        assertTrue(table.find(c.id()).isPresent());
        assertTrue(table.find(b.id()).isPresent());
    }

    @Test
    void staleEntryThatAnswersItsPingStaysAndTheNewcomerWaits() {
        RoutingTable table = table(2);
        KadPeer a = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer b = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer c = KadTestPeers.peerInBucket(random, local, 0);
        table.seen(a);
        table.seen(b);
        clock.advance(Duration.ofMinutes(11));
        table.seen(c);
        pings.get(0).complete(true);
        assertTrue(table.find(a.id()).isPresent());
        assertTrue(table.find(c.id()).isEmpty());
        assertEquals(List.of(c), table.replacementsFor(c.id()));
        // a was refreshed by the ping, so the next newcomer checks b instead
        KadPeer d = KadTestPeers.peerInBucket(random, local, 0);
        table.seen(d);
        assertEquals(List.of(a, b), pinged);
    }

    @Test
    void removingAnEntryPromotesTheNewestReplacement() {
        RoutingTable table = table(2);
        KadPeer a = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer b = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer c = KadTestPeers.peerInBucket(random, local, 0);
        KadPeer d = KadTestPeers.peerInBucket(random, local, 0);
        table.seen(a);
        table.seen(b);
        table.seen(c);
        table.seen(d);
        table.remove(a.id());
        assertTrue(table.find(d.id()).isPresent());
        assertTrue(table.find(c.id()).isEmpty());
        assertEquals(List.of(c), table.replacementsFor(c.id()));
    }

    @Test
    void peersGoIntoTheBucketOfTheirCommonPrefixLength() {
        RoutingTable table = table(1);
        KadPeer near = KadTestPeers.peerInBucket(random, local, 3);
        KadPeer far = KadTestPeers.peerInBucket(random, local, 0);
        assertTrue(table.seen(near));
        assertTrue(table.seen(far), "a different bucket has room");
        assertEquals(List.of(0, 3), table.nonEmptyBuckets());
    }

    @Test
    void seeingAKnownPeerUpdatesItsAddresses() {
        RoutingTable table = table(20);
        KadPeer a = KadTestPeers.peer(random, 1);
        table.seen(a);
        KadPeer moved = new KadPeer(a.id(), List.of(dev.hyphae.transport.libp2p.multiaddr.Multiaddr.parse("/ip4/127.0.0.1/tcp/2")));
        table.seen(moved);
        assertEquals(moved, table.find(a.id()).orElseThrow());
        table.seen(new KadPeer(a.id(), List.of()));
        assertEquals(moved, table.find(a.id()).orElseThrow(), "an address-less sighting keeps the known addresses");
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
