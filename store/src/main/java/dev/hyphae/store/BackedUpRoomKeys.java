package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** The session keys stored in each key backup version. */
public interface BackedUpRoomKeys {
    Optional<BackedUpRoomKey> get(String userId, long version, String roomId, String sessionId);

    /** The version's keys, of one room when {@code roomId} is not null, ordered by room and session ID. */
    List<BackedUpRoomKey> list(String userId, long version, String roomId);

    /** The number of keys in the version. */
    long count(String userId, long version);

    interface Writer extends BackedUpRoomKeys {
        /** Stores or replaces the key of the session. */
        void put(String userId, long version, BackedUpRoomKey key);

        /**
         * Deletes keys of the version: all of them, those of one room ({@code sessionId} null), or one
         * session. Returns how many were deleted.
         */
        int delete(String userId, long version, String roomId, String sessionId);
    }
}
