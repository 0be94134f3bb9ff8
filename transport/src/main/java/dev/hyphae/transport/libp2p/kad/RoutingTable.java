package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The Kademlia routing table: 256 k-buckets keyed by the local peer id, bucket {@code L} holding
 * peers whose id shares {@code L} leading bits with ours. Within a bucket, entries are kept from
 * least to most recently seen. When a bucket is full, a newcomer waits in the bucket's replacement
 * cache; if the least recently seen entry has not been heard from for {@code staleAfter}, it is
 * pinged, and replaced by the newest waiting peer if it does not answer. A peer that fails a query
 * is dropped the same way. Thread-safe.
 */
public final class RoutingTable {

    private final PeerId local;
    private final KadId localId;
    private final int k;
    private final Duration staleAfter;
    private final Clock clock;
    private final LivenessCheck liveness;
    private final Bucket[] buckets = new Bucket[KadId.BITS];

    private static final class Entry {
        KadPeer peer;
        final KadId id;
        Instant lastSeen;
        boolean checking;

        Entry(KadPeer peer, Instant lastSeen) {
            this.peer = peer;
            this.id = peer.kadId();
            this.lastSeen = lastSeen;
        }
    }

    private static final class Bucket {
        final LinkedHashMap<PeerId, Entry> entries = new LinkedHashMap<>();
        final Deque<KadPeer> replacements = new ArrayDeque<>();
    }

    /**
     * @param k entries per bucket (the spec's replication parameter, 20)
     * @param staleAfter how long an entry counts as alive after it was last heard from
     */
    public RoutingTable(PeerId local, int k, Duration staleAfter, Clock clock, LivenessCheck liveness) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
        this.local = local;
        this.localId = KadId.ofPeer(local);
        this.k = k;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.liveness = liveness;
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new Bucket();
        }
    }

    public PeerId localPeer() {
        return local;
    }

    /**
     * Records that {@code peer} answered or spoke to us as a DHT server: it is added, or refreshed
     * (new addresses replace old ones when it brings any), or queued as a replacement.
     *
     * @return true if the peer is in the table afterwards
     */
    public boolean seen(KadPeer peer) {
        if (peer.id().equals(local)) {
            return false;
        }
        Entry stale;
        synchronized (this) {
            Bucket bucket = bucketOf(peer.id());
            Entry existing = bucket.entries.remove(peer.id());
            if (existing != null) {
                if (!peer.addrs().isEmpty()) {
                    existing.peer = peer;
                }
                existing.lastSeen = clock.instant();
                bucket.entries.put(peer.id(), existing);
                return true;
            }
            if (bucket.entries.size() < k) {
                bucket.entries.put(peer.id(), new Entry(peer, clock.instant()));
                return true;
            }
            bucket.replacements.removeIf(p -> p.id().equals(peer.id()));
            bucket.replacements.addLast(peer);
            while (bucket.replacements.size() > k) {
                bucket.replacements.removeFirst();
            }
            Entry oldest = bucket.entries.values().iterator().next();
            if (oldest.checking || !oldest.lastSeen.plus(staleAfter).isBefore(clock.instant())) {
                return false;
            }
            oldest.checking = true;
            stale = oldest;
        }
        KadPeer checked = stale.peer;
        liveness.isAlive(checked).exceptionally(e -> false).thenAccept(alive -> {
            synchronized (this) {
                stale.checking = false;
                if (alive) {
                    stale.lastSeen = clock.instant();
                    Bucket bucket = bucketOf(checked.id());
                    if (bucket.entries.remove(checked.id()) != null) {
                        bucket.entries.put(checked.id(), stale);
                    }
                }
            }
            if (!alive) {
                remove(checked.id());
            }
        });
        return false;
    }

    /** Drops {@code peer} (it failed to answer) and promotes the newest waiting replacement. */
    public synchronized void remove(PeerId peer) {
        if (peer.equals(local)) {
            return;
        }
        Bucket bucket = bucketOf(peer);
        bucket.replacements.removeIf(p -> p.id().equals(peer));
        if (bucket.entries.remove(peer) != null && !bucket.replacements.isEmpty()) {
            KadPeer promoted = bucket.replacements.removeLast();
            bucket.entries.put(promoted.id(), new Entry(promoted, clock.instant()));
        }
    }

    public synchronized Optional<KadPeer> find(PeerId peer) {
        if (peer.equals(local)) {
            return Optional.empty();
        }
        Entry e = bucketOf(peer).entries.get(peer);
        return e == null ? Optional.empty() : Optional.of(e.peer);
    }

    /** Up to {@code count} peers nearest to {@code target}, nearest first. */
    public synchronized List<KadPeer> closest(KadId target, int count) {
        List<Entry> all = new ArrayList<>();
        for (Bucket b : buckets) {
            all.addAll(b.entries.values());
        }
        Comparator<KadId> order = KadId.byDistanceTo(target);
        all.sort((a, b) -> order.compare(a.id, b.id));
        List<KadPeer> result = new ArrayList<>();
        for (int i = 0; i < Math.min(count, all.size()); i++) {
            result.add(all.get(i).peer);
        }
        return List.copyOf(result);
    }

    public synchronized int size() {
        int n = 0;
        for (Bucket b : buckets) {
            n += b.entries.size();
        }
        return n;
    }

    /** The peers waiting to replace entries of the bucket {@code peer} would go in, oldest first. */
    synchronized List<KadPeer> replacementsFor(PeerId peer) {
        return List.copyOf(bucketOf(peer).replacements);
    }

    /** The common prefix lengths of non-empty buckets, for refreshing them. */
    public synchronized List<Integer> nonEmptyBuckets() {
        List<Integer> result = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            if (!buckets[i].entries.isEmpty()) {
                result.add(i);
            }
        }
        return result;
    }

    private Bucket bucketOf(PeerId peer) {
        int cpl = localId.commonPrefixLength(KadId.ofPeer(peer));
        return buckets[Math.min(cpl, KadId.BITS - 1)];
    }

    @Override
    public synchronized String toString() {
        return "RoutingTable of " + local + " with " + size() + " peers";
    }
}
