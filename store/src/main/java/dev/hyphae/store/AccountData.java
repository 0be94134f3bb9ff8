package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/**
 * Users' account data, global and per room. Every change takes the next position of one account
 * data stream shared by all users, so /sync can ask for what changed after a position.
 */
public interface AccountData {
    /** The entry of the type, global when {@code roomId} is {@code null}. */
    Optional<AccountDataEntry> get(String userId, String roomId, String type);

    /** Every entry of the user, global and per room, ordered by stream position. */
    List<AccountDataEntry> forUser(String userId);

    /** The user's entries changed after {@code sincePosition}, ordered by stream position. */
    List<AccountDataEntry> changedSince(String userId, long sincePosition);

    /** The highest stream position handed out so far; 0 when nothing was ever written. */
    long currentPosition();

    interface Writer extends AccountData {
        /**
         * Sets the content of the type for the user (global when {@code roomId} is {@code null}),
         * replacing any earlier content, and returns the change's new stream position.
         *
         * @throws StoreException when the user has no account
         */
        long put(String userId, String roomId, String type, String contentJson);
    }
}
