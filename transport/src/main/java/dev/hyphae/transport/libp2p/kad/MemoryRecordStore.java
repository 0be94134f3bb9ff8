package dev.hyphae.transport.libp2p.kad;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RecordStore} in memory, bounded in the number of keys. A record older than
 * {@code maxAge} is forgotten (js-libp2p: 36 h), so a copy its publisher stopped refreshing does
 * not live forever. Thread-safe.
 */
public final class MemoryRecordStore implements RecordStore {

    private final ConcurrentHashMap<ByteString, Stored> records = new ConcurrentHashMap<>();
    private final int maxRecords;
    private final Duration maxAge;
    private final Clock clock;

    /** @param maxRecords new keys beyond this many are not stored (existing ones may still be updated) */
    public MemoryRecordStore(int maxRecords, Duration maxAge, Clock clock) {
        this.maxRecords = maxRecords;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public Optional<Stored> get(byte[] key) {
        ByteString k = ByteString.copyFrom(key);
        Stored stored = records.get(k);
        if (stored != null && !stored.timeReceived().plus(maxAge).isAfter(clock.instant())) {
            records.remove(k, stored);
            return Optional.empty();
        }
        return Optional.ofNullable(stored);
    }

    @Override
    public void put(byte[] key, byte[] value, Instant timeReceived) {
        ByteString k = ByteString.copyFrom(key);
        if (records.size() >= maxRecords && !records.containsKey(k)) {
            Instant now = clock.instant();
            records.values().removeIf(r -> !r.timeReceived().plus(maxAge).isAfter(now));
            if (records.size() >= maxRecords) {
                return;
            }
        }
        records.put(k, new Stored(value, timeReceived));
    }

    public int size() {
        return records.size();
    }
}
