package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** The room aliases this server maintains ("Room aliases"): alias to room ID, with who made each. */
public interface RoomAliases {
    Optional<StoredRoomAlias> get(String alias);

    /** The aliases pointing to the room, ordered by alias. */
    List<StoredRoomAlias> forRoom(String roomId);

    interface Writer extends RoomAliases {
        /** Stores the alias; {@code false} (and nothing changes) when the alias exists already. */
        boolean insert(StoredRoomAlias alias);

        /** Removes the alias; {@code false} when there was none. */
        boolean delete(String alias);
    }
}
