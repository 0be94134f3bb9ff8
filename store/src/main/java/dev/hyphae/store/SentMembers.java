package dev.hyphae.store;

import java.util.Collection;
import java.util.Set;

/**
 * The membership events each device was already sent under lazy-loading of members, so that
 * they are not sent again.
 */
public interface SentMembers {
    /** The event IDs of the room's membership events the device was sent. */
    Set<String> sent(String userId, String deviceId, String roomId);

    interface Writer extends SentMembers {
        /** Records that the device was sent these membership events of the room. */
        void add(String userId, String deviceId, String roomId, Collection<String> eventIds);

        /** Forgets what the device was sent (an initial sync, a deleted device); returns how many rows went. */
        int clear(String userId, String deviceId);
    }
}
