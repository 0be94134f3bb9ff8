package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** The devices table. */
public interface Devices {
    Optional<Device> get(String userId, String deviceId);

    /** The user's devices ordered by device ID. */
    List<Device> forUser(String userId);

    interface Writer extends Devices {
        /**
         * Adds the device; returns {@code false} and changes nothing when it exists.
         *
         * @throws StoreException when the account does not exist
         */
        boolean insert(Device device);

        boolean setDisplayName(String userId, String deviceId, String displayName);

        boolean recordSeen(String userId, String deviceId, long ts, String ip);

        /** Deletes the device and, with it, every access token of the device. */
        boolean delete(String userId, String deviceId);
    }
}
