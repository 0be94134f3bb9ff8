package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** The rooms table. */
public interface Rooms {
    Optional<Room> get(String roomId);

    /** All rooms, ordered by room id. */
    List<Room> all();

    interface Writer extends Rooms {
        /** Inserts the room; returns {@code false} and changes nothing when the room id exists. */
        boolean insert(Room room);
    }
}
