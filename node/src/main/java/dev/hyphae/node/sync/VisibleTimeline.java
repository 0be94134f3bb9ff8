package dev.hyphae.node.sync;

import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.visibility.HistoryVisibility;
import dev.hyphae.store.Membership;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The events of a room's /sync timeline that the syncing user may see under the room's history
 * visibility ("History visibility", server behaviour): with {@code joined}, nothing from before
 * their join; with {@code invited}, nothing from before their invite; for a room they left,
 * nothing after their leave. Applied to the events chosen for the timeline, before its state and
 * {@code prev_batch} are worked out from them, so that the state is the one at the first event
 * shown. Events that reached the room while the user was joined pass without any state being read
 * ({@link HistoryVisibility} remembers per membership event how far back that holds).
 */
final class VisibleTimeline {
    private final HistoryVisibility visibility;

    VisibleTimeline(HistoryVisibility visibility) {
        this.visibility = Objects.requireNonNull(visibility, "visibility");
    }

    /**
     * @param membership      the user's current membership of the room
     * @param membershipEvent its event, when stored (saves looking up its place in the stream)
     * @param events          the chosen timeline events, in any order
     * @return the visible ones, in the same order
     */
    List<RoomEvent> visible(String userId, Membership membership, RoomEvent membershipEvent, List<RoomEvent> events) {
        if (events.isEmpty()) {
            return events;
        }
        if (membershipEvent != null) {
            visibility.knowOrdering(membershipEvent);
        }
        return visibility.visible(userId, membership.roomId(), events, Optional.of(membership));
    }
}
