package dev.hyphae.store;

import java.util.Map;
import java.util.Optional;

/** The identity keys each device published with {@code /keys/upload}, as the signed JSON it uploaded. */
public interface DeviceKeys {
    /** The device's keys JSON, or empty when the device has not uploaded any. */
    Optional<String> get(String userId, String deviceId);

    /** Device ID to keys JSON for every device of the user that uploaded keys, ordered by device ID. */
    Map<String, String> forUser(String userId);

    interface Writer extends DeviceKeys {
        /**
         * Stores or replaces the device's keys JSON.
         *
         * @throws StoreException when the device does not exist
         */
        void put(String userId, String deviceId, String keysJson);
    }
}
