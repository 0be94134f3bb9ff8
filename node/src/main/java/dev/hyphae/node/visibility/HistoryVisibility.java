package dev.hyphae.node.visibility;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>The client endpoints that serve stored events ({@code /messages}, {@code /context},
 * {@code /event}, relations, threads and the events named in bundled aggregations, {@code /search})
 * ask this class, so that no event reaches a user by one of them that the rules hide; {@code /sync}
 * does not ask it yet. Outliers and rejected events are never visible.
 */
public final class HistoryVisibility {
    private static final StateKey HISTORY_VISIBILITY = StateKey.of("m.room.history_visibility", "");

    private final RoomQueries queries;

    public HistoryVisibility(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /** The user's current membership of the room, empty when never a member. */
    public Optional<Membership> currentMembership(String userId, String roomId) {
        return queries.memberships(userId).stream().filter(m -> m.roomId().equals(roomId)).findFirst();
    }

    /** Whether the user may see the event, with their current membership of its room looked up. */
    public boolean maySee(String userId, RoomEvent event) {
        return maySee(userId, event, currentMembership(userId, event.pdu().roomId()));
    }

    /**
     * The events of one room the user may see, in the order given; outliers and rejected events
     * are left out.
     */
    public List<RoomEvent> visible(String userId, String roomId, Collection<RoomEvent> events) {
        Optional<Membership> current = currentMembership(userId, roomId);
        List<RoomEvent> visible = new ArrayList<>();
        for (RoomEvent event : events) {
            if (event.pdu().roomId().equals(roomId) && maySee(userId, event, current)) {
                visible.add(event);
            }
        }
        return visible;
    }

    /**
     * What {@link RoomQueries#aggregations} adds to events served to the user, without the events
     * the user may not see: an edit, a reference or a thread's latest event that is hidden is left
     * out (a thread whose latest event is hidden loses its summary). The thread's {@code count}
     * still counts every event of the thread.
     */
    public Map<String, Aggregations> aggregations(Collection<RoomEvent> events, String userId) {
        Map<String, Aggregations> all = queries.aggregations(events, userId);
        Map<String, Optional<Membership>> memberships = new HashMap<>();
        Map<String, Aggregations> shown = new HashMap<>();
        all.forEach((eventId, aggregations) -> {
            Aggregations visible = visibleParts(aggregations, userId, memberships);
            if (visible.redactedBecause().isPresent() || visible.hasRelations()) {
                shown.put(eventId, visible);
            }
        });
        return shown;
    }

    private Aggregations visibleParts(Aggregations aggregations, String userId,
            Map<String, Optional<Membership>> memberships) {
        Optional<Aggregations.ThreadSummary> thread = aggregations.thread()
                .filter(summary -> maySee(userId, summary.latestEvent(), memberships))
                .map(summary -> new Aggregations.ThreadSummary(summary.latestEvent(),
                        visibleParts(summary.latestEventAggregations(), userId, memberships), summary.count(),
                        summary.currentUserParticipated()));
        Optional<Pdu> replacement = aggregations.replacement().filter(edit -> maySee(userId, edit, memberships));
        List<String> references = aggregations.references().stream()
                .filter(id -> queries.event(id).map(ref -> maySee(userId, ref.pdu(), memberships)).orElse(false))
                .toList();
        return new Aggregations(aggregations.redactedBecause(), thread, replacement, references);
    }

    private boolean maySee(String userId, Pdu pdu, Map<String, Optional<Membership>> memberships) {
        Optional<RoomEvent> event = queries.event(pdu.eventId());
        return event.isPresent() && maySee(userId, event.get(), memberships.computeIfAbsent(pdu.roomId(),
                roomId -> currentMembership(userId, roomId)));
    }

    /**
     * @param current the user's current membership of the event's room, empty when never a member
     */
    public boolean maySee(String userId, RoomEvent event, Optional<Membership> current) {
        if (event.outlier() || event.rejectionReason() != null) {
            return false;
        }
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
