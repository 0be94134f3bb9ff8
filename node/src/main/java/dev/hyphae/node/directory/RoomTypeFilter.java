package dev.hyphae.node.directory;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code room_types} of a public rooms filter: the room types wanted, and whether rooms
 * without a type are (the list's {@code null}).
 */
public record RoomTypeFilter(Set<String> types, boolean untyped) {
    /** No {@code room_types} given: every room matches. */
    public static final RoomTypeFilter ANY = new RoomTypeFilter(null, true);

    public RoomTypeFilter {
        types = types == null ? null : Set.copyOf(types);
    }

    boolean matches(Optional<String> roomType) {
        Objects.requireNonNull(roomType, "roomType");
        if (types == null) {
            return true;
        }
        return roomType.map(types::contains).orElse(untyped);
    }
}
