package dev.hyphae.node.search;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a user may see an event, by the room's {@code m.room.history_visibility} at the event
 * (the spec's "Server behaviour" of history visibility):
 * <ol>
 *   <li>{@code world_readable}: allow;</li>
 *   <li>the user was joined at the event: allow;</li>
 *   <li>{@code shared} and the user joined the room at any point after the event: allow;</li>
 *   <li>the user was invited at the event and visibility is {@code invited}: allow;</li>
 *   <li>otherwise deny.</li>
 * </ol>
 * History visibility events and the user's own membership events are judged by the state before
 * or after them. "Joined at any point after" is read from the user's current membership: joined
 * now, or left (or banned) after the event from a joined membership; an earlier join that was
 * left again before the last membership change is not seen.
 */
public final class HistoryVisibility {
    private static final StateKey HISTORY_VISIBILITY = StateKey.of("m.room.history_visibility", "");

    private final RoomQueries queries;

    public HistoryVisibility(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /**
     * @param current the user's current membership of the event's room, empty when never a member
     */
    public boolean maySee(String userId, RoomEvent event, Optional<Membership> current) {
        Pdu pdu = event.pdu();
        Optional<Map<StateKey, String>> before = queries.stateIdsBefore(pdu.eventId());
        if (before.isEmpty()) {
            return false;
        }
        if (allowedBy(userId, event, before.get(), current)) {
            return true;
        }
        boolean judgedAfterToo = pdu.type().equals("m.room.history_visibility")
                || (pdu.type().equals("m.room.member") && pdu.stateKey().orElse("").equals(userId));
        return judgedAfterToo && queries.stateIdsAfter(pdu.eventId())
                .map(after -> allowedBy(userId, event, after, current)).orElse(false);
    }

    private boolean allowedBy(String userId, RoomEvent event, Map<StateKey, String> state,
            Optional<Membership> current) {
        String visibility = contentString(state.get(HISTORY_VISIBILITY), "history_visibility").orElse("shared");
        if (visibility.equals("world_readable")) {
            return true;
        }
        String membership = contentString(state.get(StateKey.of("m.room.member", userId)), "membership")
                .orElse("leave");
        if (membership.equals("join")) {
            return true;
        }
        if (membership.equals("invite") && visibility.equals("invited")) {
            return true;
        }
        boolean shared = !visibility.equals("invited") && !visibility.equals("joined");
        return shared && joinedAfter(userId, event, current);
    }

    private boolean joinedAfter(String userId, RoomEvent event, Optional<Membership> current) {
        if (current.isEmpty()) {
            return false;
        }
        if (current.get().membership().equals("join")) {
            return true;
        }
        Optional<RoomEvent> change = queries.event(current.get().eventId());
        if (change.isEmpty() || change.get().streamOrdering() <= event.streamOrdering()) {
            return false;
        }
        return queries.stateIdsBefore(change.get().eventId())
                .flatMap(state -> contentString(state.get(StateKey.of("m.room.member", userId)), "membership"))
                .map("join"::equals).orElse(false);
    }

    private Optional<String> contentString(String eventId, String field) {
        if (eventId == null) {
            return Optional.empty();
        }
        return queries.event(eventId).map(event -> event.pdu().contentField(field))
                .filter(value -> value.isTextual()).map(value -> value.textValue());
    }
}
