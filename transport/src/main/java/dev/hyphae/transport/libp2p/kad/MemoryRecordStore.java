package dev.hyphae.transport.libp2p.kad;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RecordStore} in memory, bounded in the number of keys. Thread-safe. */
public final class MemoryRecordStore implements RecordStore {

    private final ConcurrentHashMap<ByteString, Stored> records = new ConcurrentHashMap<>();
    private final int maxRecords;

    /** @param maxRecords new keys beyond this many are not stored (existing ones may still be updated) */
    public MemoryRecordStore(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    @Override
    public Optional<Stored> get(byte[] key) {
        return Optional.ofNullable(records.get(ByteString.copyFrom(key)));
    }

    @Override
    public void put(byte[] key, byte[] value, Instant timeReceived) {
        ByteString k = ByteString.copyFrom(key);
        if (records.size() >= maxRecords && !records.containsKey(k)) {
            return;
        }
        records.put(k, new Stored(value, timeReceived));
    }

    public int size() {
        return records.size();
    }
}
