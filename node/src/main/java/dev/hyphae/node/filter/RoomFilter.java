package dev.hyphae.node.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The spec's RoomFilter. Its rooms/not_rooms apply before the timeline, state, ephemeral and
 * account data filters.
 */
public record RoomFilter(Optional<List<String>> rooms, Optional<List<String>> notRooms, boolean includeLeave,
                         RoomEventFilter timeline, RoomEventFilter state, RoomEventFilter ephemeral,
                         RoomEventFilter accountData) {
    public static final RoomFilter ALL = new RoomFilter(Optional.empty(), Optional.empty(), false,
            RoomEventFilter.ALL, RoomEventFilter.ALL, RoomEventFilter.ALL, RoomEventFilter.ALL);

    public RoomFilter {
        rooms = rooms.map(List::copyOf);
        notRooms = notRooms.map(List::copyOf);
    }

    static RoomFilter parse(ObjectNode json) {
        String where = "room.";
        return new RoomFilter(FilterJson.strings(json, "rooms", where, "!"),
                FilterJson.strings(json, "not_rooms", where, "!"),
                FilterJson.bool(json, "include_leave", where).orElse(false),
                roomEventFilter(json, "timeline"), roomEventFilter(json, "state"),
                roomEventFilter(json, "ephemeral"), roomEventFilter(json, "account_data"));
    }

    private static RoomEventFilter roomEventFilter(ObjectNode json, String name) {
        return FilterJson.object(json, name, "room.")
                .map(object -> RoomEventFilter.parse(object, "room." + name + "."))
                .orElse(RoomEventFilter.ALL);
    }

    /** Whether the room appears in the response at all. */
    public boolean includesRoom(String roomId) {
        if (notRooms.isPresent() && notRooms.get().contains(roomId)) {
            return false;
        }
        return rooms.isEmpty() || rooms.get().contains(roomId);
    }
}
