package dev.hyphae.store;

import java.util.Optional;

/**
 * Rooms users have forgotten after leaving them. A room stays forgotten only while the user's
 * membership is still the one they forgot it at: a later invite or join brings the room back.
 */
public interface ForgottenRooms {
    /** The membership event the user forgot the room at, if they forgot it. */
    Optional<String> forgottenAt(String userId, String roomId);

    interface Writer extends ForgottenRooms {
        /** Records that the user forgot the room while their membership was {@code membershipEventId}. */
        void forget(String userId, String roomId, String membershipEventId);
    }
}
