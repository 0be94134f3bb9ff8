package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/**
 * The current membership of users in rooms, kept by the layer that computes room state so that
 * "which rooms is this user in" and "who is in this room" need no state resolution.
 */
public interface Memberships {
    Optional<Membership> get(String roomId, String userId);

    /** The user's memberships of every room, ordered by room ID. */
    List<Membership> forUser(String userId);

    /** Every membership of the room, ordered by user ID. */
    List<Membership> inRoom(String roomId);

    interface Writer extends Memberships {
        /**
         * Sets the user's current membership of the room, replacing the previous one.
         *
         * @throws StoreException when the room or the membership event is not stored
         */
        void set(Membership membership);
    }
}
