package dev.hyphae.store;

import java.util.List;
import java.util.Map;

/**
 * Unread notification counts of local users, kept as data: per (user, room, thread) the number of
 * events after the user's read marks that the user's push rules make notify, and of those that
 * highlight. The thread {@link #MAIN} is the room's main timeline; its row also says that the room
 * is counted for the user at all. Other threads have a row only once an event in them counted.
 *
 * <p>A read receipt ({@code m.read} or {@code m.read.private}) of the user in the room forgets the
 * user's counts of that room, and a change of the user's push rules forgets all the user's counts,
 * in the unit that stores the receipt or rule: whoever reads the counts next counts them again.
 */
public interface NotificationCounts {
    /** The thread ID of the main timeline. */
    String MAIN = "main";

    /** The user's counts of every room counted for them: room ID to thread ID ({@link #MAIN} included) to count. */
    Map<String, Map<String, Count>> ofUser(String userId);

    /** The users for whom the room is counted (who have its {@link #MAIN} row), ordered by user ID. */
    List<String> countedUsers(String roomId);

    /** A {@code notification_count} and {@code highlight_count}, never negative. */
    record Count(long notifications, long highlights) {
        public static final Count ZERO = new Count(0, 0);

        public Count {
            if (notifications < 0 || highlights < 0) {
                throw new IllegalArgumentException("counts are never negative");
            }
        }

        public Count plus(Count other) {
            return new Count(notifications + other.notifications, highlights + other.highlights);
        }
    }

    interface Writer extends NotificationCounts {
        /**
         * Adds to the user's count of one thread of the room, when the room is counted for the
         * user; does nothing otherwise (the room will be counted as a whole when it is next read).
         *
         * @return whether the room was counted for the user
         */
        boolean add(String userId, String roomId, String threadId, Count count);

        /** Replaces the user's counts of the room by {@code threads}; the room is counted afterwards even without a {@link #MAIN} entry. */
        void replace(String userId, String roomId, Map<String, Count> threads);

        /** Forgets the user's counts of the room: it is no longer counted for the user. */
        void forget(String userId, String roomId);
    }
}
