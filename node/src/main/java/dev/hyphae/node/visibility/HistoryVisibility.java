package dev.hyphae.node.visibility;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import dev.hyphae.node.relations.RelatesTo;
import dev.hyphae.store.StoredRelation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p>A user who left the room (or was kicked or banned) sees nothing after their leave, whatever
 * the visibility: they read its history "up to the point they left". The client endpoints that
 * serve stored events ({@code /messages}, {@code /context}, {@code /event}, relations, threads and
 * the events named in bundled aggregations, {@code /search}) and the timelines of {@code /sync} ask
 * this class, so that no event reaches a user by one of them that the rules hide. Outliers and
 * rejected events are never visible.
 *
 * <p>Judging an event by the rules reads the room state before it, so cheaper answers come first:
 * an event that reached the room while the user's current run of joins lasted (at or after the
 * first join of that run, and not after their leave) was seen as joined; the run is found once per
 * membership event and remembered. Events that reached this node on a branch that did not yet hold
 * the user's join are therefore judged as if joined. Full judgements are remembered too (by user,
 * current membership and event, on which alone they depend), in bounded caches.
 */
public final class HistoryVisibility {
    private static final StateKey HISTORY_VISIBILITY = StateKey.of("m.room.history_visibility", "");

    /** How many prior membership events a run of joins is followed back through (profile changes). */
    static final int MAX_JOIN_RUN = 20;
    /** The most thread events whose visibility a thread summary judges one by one. */
    static final int MAX_THREAD_JUDGED = 1000;
    private static final int CACHE_SIZE = 10_000;

    private final RoomQueries queries;
    private final Map<String, Long> orderings = boundedCache();
    private final Map<String, Long> joinRunStarts = boundedCache();
    private final Map<String, Boolean> judged = boundedCache();

    public HistoryVisibility(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    private static <V> Map<String, V> boundedCache() {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_SIZE;
            }
        });
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
        return visible(userId, roomId, events, currentMembership(userId, roomId));
    }

    /**
     * As {@link #visible(String, String, Collection)}, with the user's current membership of the
     * room given (what /sync already holds), so that nothing more is looked up when every event
     * reached the room while the user was joined.
     */
    public List<RoomEvent> visible(String userId, String roomId, Collection<RoomEvent> events,
            Optional<Membership> current) {
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
     * out; a thread's {@code count} counts the thread events the user may see and its latest event
     * is the newest of them (a thread none of whose events the user may see has no summary).
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
                .flatMap(summary -> visibleThread(summary, userId, memberships))
                .map(summary -> new Aggregations.ThreadSummary(summary.latestEvent(),
                        visibleParts(summary.latestEventAggregations(), userId, memberships), summary.count(),
                        summary.currentUserParticipated()));
        Optional<Pdu> replacement = aggregations.replacement().filter(edit -> maySee(userId, edit, memberships));
        List<String> references = aggregations.references().stream()
                .filter(id -> queries.event(id).map(ref -> maySee(userId, ref.pdu(), memberships)).orElse(false))
                .toList();
        return new Aggregations(aggregations.redactedBecause(), thread, replacement, references);
    }

    /**
     * The thread summary with only the thread events the user may see: when the thread's first and
     * latest events both lie in the user's current run of joins, all of it does and the summary
     * stands; otherwise its events are judged one by one (the newest {@link #MAX_THREAD_JUDGED};
     * older ones beyond them are counted as the index counts them).
     */
    private Optional<Aggregations.ThreadSummary> visibleThread(Aggregations.ThreadSummary summary, String userId,
            Map<String, Optional<Membership>> memberships) {
        Pdu latest = summary.latestEvent();
        String roomId = latest.roomId();
        Optional<Membership> current = memberships.computeIfAbsent(roomId, r -> currentMembership(userId, r));
        Optional<String> rootId = RelatesTo.of(latest).filter(r -> r.relType().equals(RelatesTo.THREAD))
                .map(RelatesTo::eventId);
        if (rootId.isEmpty()) {
            return maySee(userId, latest, memberships) ? Optional.of(summary) : Optional.empty();
        }
        List<StoredRelation> newest = queries.childEvents().newestRelations(roomId, rootId.get(), RelatesTo.THREAD,
                MAX_THREAD_JUDGED);
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        boolean allInRun = surelySeen(userId, newest.get(0).streamOrdering(), current)
                && surelySeen(userId, newest.get(newest.size() - 1).streamOrdering(), current);
        if (allInRun) {
            return Optional.of(summary);
        }
        Map<String, RoomEvent> events = queries.events(newest.stream().map(StoredRelation::eventId).toList());
        long count = Math.max(0, summary.count() - newest.size());
        RoomEvent newestVisible = null;
        for (StoredRelation relation : newest) {
            RoomEvent event = events.get(relation.eventId());
            if (event != null && maySee(userId, event, current)) {
                count++;
                if (newestVisible == null) {
                    newestVisible = event;
                }
            }
        }
        if (newestVisible == null) {
            return Optional.empty();
        }
        Aggregations latestAggregations = summary.latestEventAggregations();
        if (!newestVisible.eventId().equals(latest.eventId())) {
            Aggregations own = queries.aggregations(List.of(newestVisible), userId)
                    .getOrDefault(newestVisible.eventId(), Aggregations.NONE);
            latestAggregations = new Aggregations(own.redactedBecause(), Optional.empty(), own.replacement(),
                    own.references());
        }
        return Optional.of(new Aggregations.ThreadSummary(newestVisible.pdu(), latestAggregations, count,
                summary.currentUserParticipated()));
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
        if (current.isPresent()) {
            String membership = current.get().membership();
            long changedAt = ordering(current.get().eventId());
            boolean left = membership.equals("leave") || membership.equals("ban");
            if (left && event.streamOrdering() > changedAt) {
                return false; // nothing after the user's leave
            }
            if (surelySeen(userId, event.streamOrdering(), current)) {
                return true;
            }
        }
        String key = userId + '|' + current.map(Membership::eventId).orElse("") + '|' + event.eventId();
        Boolean known = judged.get(key);
        if (known != null) {
            return known;
        }
        boolean allowed = judge(userId, event, current);
        judged.put(key, allowed);
        return allowed;
    }

    /**
     * Whether an event at {@code streamOrdering} reached the room during the user's current run of
     * joins (for a user who left, the run that their leave ended, the leave included), so that they
     * were joined at it.
     */
    private boolean surelySeen(String userId, long streamOrdering, Optional<Membership> current) {
        if (current.isEmpty()) {
            return false;
        }
        Membership membership = current.get();
        long changedAt = ordering(membership.eventId());
        switch (membership.membership()) {
            case "join" -> {
                return streamOrdering >= changedAt
                        || streamOrdering >= joinRunStart(userId, membership.eventId()).orElse(Long.MAX_VALUE);
            }
            case "leave", "ban" -> {
                if (streamOrdering > changedAt) {
                    return false;
                }
                Optional<String> before = memberEventBefore(userId, membership.eventId())
                        .filter(id -> membershipOf(id).equals("join"));
                return before.isPresent()
                        && streamOrdering >= joinRunStart(userId, before.get()).orElse(Long.MAX_VALUE);
            }
            default -> {
                return false;
            }
        }
    }

    /** The stream ordering of the first join of the run of joins that ends with {@code joinEventId}. */
    private Optional<Long> joinRunStart(String userId, String joinEventId) {
        Long known = joinRunStarts.get(joinEventId);
        if (known != null) {
            return known < 0 ? Optional.empty() : Optional.of(known);
        }
        String first = joinEventId;
        for (int step = 0; step < MAX_JOIN_RUN; step++) {
            Optional<String> before = memberEventBefore(userId, first).filter(id -> membershipOf(id).equals("join"));
            if (before.isEmpty()) {
                break;
            }
            first = before.get();
        }
        long start = membershipOf(joinEventId).equals("join") ? ordering(first) : -1;
        joinRunStarts.put(joinEventId, start);
        return start < 0 ? Optional.empty() : Optional.of(start);
    }

    private Optional<String> memberEventBefore(String userId, String eventId) {
        return queries.stateIdsBefore(eventId).map(state -> state.get(StateKey.of("m.room.member", userId)));
    }

    private String membershipOf(String memberEventId) {
        return contentString(memberEventId, "membership").orElse("leave");
    }

    /** An event's stream ordering, remembered (it never changes); {@code Long.MAX_VALUE} when unknown. */
    private long ordering(String eventId) {
        Long known = orderings.get(eventId);
        if (known != null) {
            return known;
        }
        long ordering = queries.event(eventId).map(RoomEvent::streamOrdering).orElse(Long.MAX_VALUE);
        orderings.put(eventId, ordering);
        return ordering;
    }

    /** Remembers an event's stream ordering that the caller already read. */
    public void knowOrdering(RoomEvent event) {
        orderings.put(event.eventId(), event.streamOrdering());
    }

    private boolean judge(String userId, RoomEvent event, Optional<Membership> current) {
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
