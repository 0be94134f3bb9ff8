package dev.hyphae.node.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The spec's RoomEventFilter: an {@link EventFilter} plus rooms/not_rooms, contains_url and the
 * lazy-loading and thread notification switches.
 */
public record RoomEventFilter(EventFilter events, Optional<List<String>> rooms, Optional<List<String>> notRooms,
                              Optional<Boolean> containsUrl, boolean lazyLoadMembers,
                              boolean includeRedundantMembers, boolean unreadThreadNotifications) {
    public static final RoomEventFilter ALL = new RoomEventFilter(EventFilter.ALL, Optional.empty(), Optional.empty(),
            Optional.empty(), false, false, false);

    public RoomEventFilter {
        rooms = rooms.map(List::copyOf);
        notRooms = notRooms.map(List::copyOf);
    }

    static RoomEventFilter parse(ObjectNode json, String where) {
        return new RoomEventFilter(EventFilter.parse(json, where),
                FilterJson.strings(json, "rooms", where, "!"),
                FilterJson.strings(json, "not_rooms", where, "!"),
                FilterJson.bool(json, "contains_url", where),
                FilterJson.bool(json, "lazy_load_members", where).orElse(false),
                FilterJson.bool(json, "include_redundant_members", where).orElse(false),
                FilterJson.bool(json, "unread_thread_notifications", where).orElse(false));
    }

    /** Whether an event of the room passes the filter. */
    public boolean matches(ObjectNode event, String roomId) {
        if (!matchesRoom(roomId) || !events.matches(event)) {
            return false;
        }
        if (containsUrl.isPresent()) {
            boolean hasUrl = event.path("content").has("url");
            return hasUrl == containsUrl.get();
        }
        return true;
    }

    public boolean matchesRoom(String roomId) {
        if (notRooms.isPresent() && notRooms.get().contains(roomId)) {
            return false;
        }
        return rooms.isEmpty() || rooms.get().contains(roomId);
    }

    /** Redundant membership events are asked for only together with lazy loading. */
    public boolean sendsRedundantMembers() {
        return lazyLoadMembers && includeRedundantMembers;
    }

    /** The room's events that pass, in their order, at most the limit of them counting from the end. */
    public List<ObjectNode> filterKeepingLatest(List<ObjectNode> roomEvents, String roomId) {
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode event : roomEvents) {
            if (matches(event, roomId)) {
                kept.add(event);
            }
        }
        return EventFilter.limitKeepingLatest(kept, events.limit());
    }
}
