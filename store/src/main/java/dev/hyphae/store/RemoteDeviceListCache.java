package dev.hyphae.store;

import java.util.Optional;

/**
 * Device lists of users on other servers as this server last learnt them (devices, cross-signing
 * keys and the stream IDs of the updates applied), one JSON document per user, so that a restart
 * does not forget them.
 */
public interface RemoteDeviceListCache {
    /** The user's cached list, if one is held. */
    Optional<String> get(String userId);

    interface Writer extends RemoteDeviceListCache {
        /** Caches the user's list, replacing any held. */
        void put(String userId, String listJson);

        /** Forgets the user's list; returns whether one was held. */
        boolean delete(String userId);
    }
}
