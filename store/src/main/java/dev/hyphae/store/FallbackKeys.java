package dev.hyphae.store;

import java.util.Optional;
import java.util.Set;

/** Each device's fallback key per algorithm: handed out when no one-time key is left, never consumed. */
public interface FallbackKeys {
    Optional<FallbackKey> get(String userId, String deviceId, String algorithm);

    /** The algorithms for which the device has a fallback key not yet handed out by a claim. */
    Set<String> unusedAlgorithms(String userId, String deviceId);

    interface Writer extends FallbackKeys {
        /**
         * Sets the device's fallback key for the key's algorithm, replacing any previous one. A key
         * with the same ID and JSON as the stored one keeps its used flag; any other key starts unused.
         *
         * @throws StoreException when the device does not exist
         */
        void put(String userId, String deviceId, OneTimeKey key);

        /** Marks the algorithm's fallback key as handed out; returns {@code false} when there is none. */
        boolean markUsed(String userId, String deviceId, String algorithm);
    }
}
