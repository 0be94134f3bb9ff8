package dev.hyphae.node.roomserver;

import java.util.List;
import java.util.Objects;

/**
 * One page of a room's timeline, in the order it was asked for.
 *
 * @param start the token the page starts at (the {@code from} given, or the current position)
 * @param end   the token to continue from, or {@code null} when there are no more events that way
 */
public record TimelinePage(List<RoomEvent> events, String start, String end) {
    public TimelinePage {
        events = List.copyOf(events);
        Objects.requireNonNull(start, "start");
    }
}
