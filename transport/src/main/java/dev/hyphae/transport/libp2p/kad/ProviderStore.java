package dev.hyphae.transport.libp2p.kad;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records in memory (kad-dht spec, "Content provider advertisement"): who provides each
 * key, each entry expiring {@code expiry} after it was last added (IPFS: 48 h). Addresses are
 * handed out only for {@code addressTtl} after the announcement (kubo: 30 min), afterwards just
 * the peer id, so that stale addresses are not spread. Bounded per key and in keys. Thread-safe.
 */
public final class ProviderStore {

    private record Entry(KadPeer provider, Instant added) {
    }

    private final Map<ByteString, LinkedHashMap<PeerId, Entry>> providers = new HashMap<>();
    private final Clock clock;
    private final Duration expiry;
    private final Duration addressTtl;
    private final int maxKeys;
    private final int maxPerKey;

    public ProviderStore(Clock clock, Duration expiry, Duration addressTtl, int maxKeys, int maxPerKey) {
        this.clock = clock;
        this.expiry = expiry;
        this.addressTtl = addressTtl;
        this.maxKeys = maxKeys;
        this.maxPerKey = maxPerKey;
    }

    /** Adds or renews {@code provider} for {@code key}; false if the store is full. */
    public synchronized boolean add(byte[] key, KadPeer provider) {
        Instant now = clock.instant();
        ByteString k = ByteString.copyFrom(key);
        LinkedHashMap<PeerId, Entry> entries = providers.get(k);
        if (entries == null) {
            if (providers.size() >= maxKeys) {
                expire(now);
                if (providers.size() >= maxKeys) {
                    return false;
                }
            }
            entries = new LinkedHashMap<>();
            providers.put(k, entries);
        }
        entries.remove(provider.id());
        if (entries.size() >= maxPerKey) {
            // the longest-unrenewed provider makes room
            entries.remove(entries.keySet().iterator().next());
        }
        entries.put(provider.id(), new Entry(provider, now));
        return true;
    }

    /** The unexpired providers of {@code key}, most recently announced last. */
    public synchronized List<KadPeer> get(byte[] key) {
        Instant now = clock.instant();
        LinkedHashMap<PeerId, Entry> entries = providers.get(ByteString.copyFrom(key));
        if (entries == null) {
            return List.of();
        }
        entries.values().removeIf(e -> !e.added().plus(expiry).isAfter(now));
        List<KadPeer> result = new ArrayList<>();
        for (Entry e : entries.values()) {
            boolean fresh = e.added().plus(addressTtl).isAfter(now);
            result.add(fresh ? e.provider() : new KadPeer(e.provider().id(), List.of()));
        }
        if (entries.isEmpty()) {
            providers.remove(ByteString.copyFrom(key));
        }
        return result;
    }

    private void expire(Instant now) {
        providers.values().forEach(entries -> entries.values().removeIf(e -> !e.added().plus(expiry).isAfter(now)));
        providers.values().removeIf(Map::isEmpty);
    }
}
