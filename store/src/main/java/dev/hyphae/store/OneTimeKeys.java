package dev.hyphae.store;

import java.util.Map;
import java.util.Optional;

/** The unclaimed one-time keys of each device. */
public interface OneTimeKeys {
    /** The device's key with this full key ID, if unclaimed. */
    Optional<OneTimeKey> get(String userId, String deviceId, String keyId);

    /** Algorithm to the number of unclaimed keys; algorithms without keys are absent. */
    Map<String, Integer> counts(String userId, String deviceId);

    interface Writer extends OneTimeKeys {
        /**
         * Adds the key; returns {@code false} and changes nothing when the device already holds a key
         * with the same ID.
         *
         * @throws StoreException when the device does not exist
         */
        boolean add(String userId, String deviceId, OneTimeKey key);

        /**
         * Removes and returns one unclaimed key of the algorithm (the oldest uploaded), or empty when
         * none is left. Inside the store's single writer no two claims can get the same key.
         */
        Optional<OneTimeKey> claim(String userId, String deviceId, String algorithm);
    }
}
