package dev.hyphae.transport.libp2p.kad;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a DHT node keeps the records others PUT to it. Only validated records are stored; the
 * store itself does not validate. An in-memory store exists ({@link MemoryRecordStore}); a
 * persistent one belongs with the peer store.
 */
public interface RecordStore {

    /** A stored value and when it was received. */
    record Stored(byte[] value, Instant timeReceived) {
        public Stored {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    Optional<Stored> get(byte[] key);

    void put(byte[] key, byte[] value, Instant timeReceived);
}
