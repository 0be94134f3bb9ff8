package dev.hyphae.node.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.client.ClientEventFormat;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.filter.RoomEventFilter;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.StreamToken;
import dev.hyphae.node.roomserver.TimelineDirection;
import dev.hyphae.node.visibility.HistoryVisibility;
import dev.hyphae.store.Membership;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The room event stream of /sync: {@code rooms.join} (timeline, state or state_after, unread
 * counts), {@code rooms.invite} and {@code rooms.knock} (stripped state) and {@code rooms.leave}. Its positions are the
 * node's event stream orderings. With {@code lazy_load_members} the state keeps, of the room's
 * membership events, only those of the timeline's senders and of the syncing user, and leaves out
 * those the device was already sent (unless {@code include_redundant_members}). Timelines hold only
 * what the room's history visibility lets the user see ({@link VisibleTimeline}). Room summaries are
 * not handled; ephemeral events come from other streams, and unread notification counts are 0
 * here until a later stream (the unread counts) replaces them.
 */
final class RoomsStreamProvider implements StreamProvider {
    /** Timeline events per room when the filter sets no limit. */
    static final int DEFAULT_TIMELINE_LIMIT = 10;
    /** The most timeline events per room, whatever the filter asks. */
    static final int MAX_TIMELINE_LIMIT = 100;

    private final RoomQueries queries;
    private final SentMembersMemory sentMembers;
    private final HistoryVisibility visibility;
    private final VisibleTimeline visibleTimeline;

    RoomsStreamProvider(RoomQueries queries) {
        this(queries, SentMembersMemory.NONE);
    }

    RoomsStreamProvider(RoomQueries queries, SentMembersMemory sentMembers) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.sentMembers = Objects.requireNonNull(sentMembers, "sentMembers");
        this.visibility = new HistoryVisibility(queries);
        this.visibleTimeline = new VisibleTimeline(visibility);
    }

    @Override
    public long latestPosition() {
        return queries.currentToken().position();
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        boolean initial = request.since().isEmpty();
        Filter filter = request.filter();
        Map<String, List<String>> membersSent = new HashMap<>();
        List<Membership> memberships = queries.memberships(request.userId()).stream()
                .filter(membership -> filter.room().includesRoom(membership.roomId())).toList();
        // One read for every membership event, not one a room.
        Map<String, RoomEvent> membershipEvents = queries.events(memberships.stream().map(Membership::eventId).toList());
        for (Membership membership : memberships) {
            String roomId = membership.roomId();
            RoomEvent membershipEvent = membershipEvents.get(membership.eventId());
            long changedAt = membershipEvent == null ? 0L : membershipEvent.streamOrdering();
            if (changedAt > to) {
                // The membership changed after this sync's snapshot; the next sync reports it.
                continue;
            }
            boolean changedSinceToken = changedAt > from;
            switch (membership.membership()) {
                case "join" -> {
                    ObjectNode update = roomUpdate(request, membership, membershipEvent, from, to,
                            request.wantsFullState() || changedSinceToken, membersSent);
                    if (update != null) {
                        ObjectNode entry = response.joinedRoom(roomId);
                        entry.setAll(update);
                        ObjectNode unread = entry.putObject("unread_notifications");
                        unread.put("highlight_count", 0);
                        unread.put("notification_count", 0);
                    }
                }
                case "invite" -> {
                    if (initial || changedSinceToken) {
                        response.invitedRoom(roomId).putObject("invite_state").set("events",
                                strippedState(membership));
                    }
                }
                case "leave", "ban" -> {
                    // A forgotten room is not shown again, not even with include_leave.
                    if ((initial ? filter.room().includeLeave() : changedSinceToken) && !queries.forgotten(membership)) {
                        ObjectNode update = roomUpdate(request, membership, membershipEvent, from, changedAt,
                                request.wantsFullState(), membersSent);
                        ObjectNode entry = response.leftRoom(roomId);
                        if (update != null) {
                            entry.setAll(update);
                        }
                    }
                }
                case "knock" -> {
                    if (initial || changedSinceToken) {
                        response.knockedRoom(roomId).putObject("knock_state").set("events",
                                strippedState(membership));
                    }
                }
                default -> {
                    // Every membership state is handled above.
                }
            }
        }
        if (lazyLoadsMembers(filter)) {
            sentMembers.remember(request.userId(), request.deviceId(), initial, membersSent);
        }
        return to;
    }

    /** Lazy-loading is asked for on the state filter (where clients set it) or the timeline filter. */
    static boolean lazyLoadsMembers(Filter filter) {
        return filter.room().state().lazyLoadMembers() || filter.room().timeline().lazyLoadMembers();
    }

    private static boolean sendsRedundantMembers(Filter filter) {
        return filter.room().state().sendsRedundantMembers() || filter.room().timeline().sendsRedundantMembers();
    }

    /**
     * The timeline and state of a room between {@code from} (exclusive) and {@code upTo}
     * (inclusive), or {@code null} when nothing happened there and no full state is wanted.
     */
    private ObjectNode roomUpdate(SyncRequest request, Membership membership, RoomEvent membershipEvent, long from,
            long upTo, boolean fullState, Map<String, List<String>> membersSent) {
        String roomId = membership.roomId();
        Filter filter = request.filter();
        RoomEventFilter timelineFilter = filter.room().timeline();
        int limit = timelineFilter.events().effectiveLimit(DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT);
        List<RoomEvent> newestFirst = newestBetween(roomId, from, upTo, limit + 1);
        boolean limited = newestFirst.size() > limit;
        List<RoomEvent> timeline = new ArrayList<>(visibleTimeline.visible(request.userId(), membership,
                membershipEvent, newestFirst.subList(0, Math.min(limit, newestFirst.size()))));
        Collections.reverse(timeline);
        if (timeline.isEmpty() && !fullState) {
            return null;
        }

        ObjectNode update = JsonNodeFactory.instance.objectNode();
        ObjectNode timelineJson = update.putObject("timeline");
        ArrayNode events = timelineJson.putArray("events");
        Map<String, Aggregations> aggregations = visibility.aggregations(timeline, request.userId());
        for (RoomEvent event : timeline) {
            ObjectNode json = ClientEventFormat.withoutRoomId(event.pdu(), aggregations.get(event.eventId()));
            if (timelineFilter.matches(json, roomId)) {
                events.add(filter.project(json));
            }
        }
        timelineJson.put("limited", limited);
        long beforeTimeline = timeline.isEmpty() ? upTo : timeline.get(0).streamOrdering() - 1;
        timelineJson.put("prev_batch", new StreamToken(Math.max(0, beforeTimeline)).toString());

        Map<StateKey, String> known = fullState ? Map.of() : stateAt(roomId, from);
        Map<StateKey, String> target;
        if (request.useStateAfter()) {
            target = timeline.isEmpty() ? stateAt(roomId, upTo)
                    : queries.stateIdsAfter(timeline.get(timeline.size() - 1).eventId()).orElse(Map.of());
        } else {
            target = timeline.isEmpty() ? stateAt(roomId, upTo)
                    : queries.stateIdsBefore(timeline.get(0).eventId()).orElse(Map.of());
        }
        ArrayNode state = update.putObject(request.stateSection()).putArray("events");
        boolean lazy = lazyLoadsMembers(filter);
        Set<String> wantedMembers = new HashSet<>();
        Set<String> alreadySent = Set.of();
        if (lazy) {
            wantedMembers.add(request.userId());
            timeline.forEach(event -> wantedMembers.add(event.pdu().sender()));
            // An initial or full_state sync sends the members whatever the device was sent before.
            alreadySent = request.wantsFullState() || sendsRedundantMembers(filter) ? Set.of()
                    : sentMembers.sent(request.userId(), request.deviceId(), roomId);
        }
        List<String> stateIds = new ArrayList<>();
        for (Map.Entry<StateKey, String> entry : new TreeMap<>(target).entrySet()) {
            boolean member = entry.getKey().type().equals("m.room.member");
            if (lazy && member) {
                // Only the members of the timeline's senders, each unless this device already has it.
                if (!wantedMembers.contains(entry.getKey().stateKey()) || alreadySent.contains(entry.getValue())) {
                    continue;
                }
            } else if (entry.getValue().equals(known.get(entry.getKey()))) {
                continue;
            }
            stateIds.add(entry.getValue());
        }
        // One read for the state events, in the order of their keys.
        Map<String, RoomEvent> stored = queries.events(stateIds);
        List<RoomEvent> stateEvents = new ArrayList<>();
        for (String id : stateIds) {
            RoomEvent event = stored.get(id);
            if (event != null) {
                stateEvents.add(event);
            }
        }
        Map<String, Aggregations> redacted = queries.aggregations(stateEvents, request.userId());
        for (RoomEvent event : stateEvents) {
            ObjectNode json = ClientEventFormat.withoutRoomId(event.pdu(), redacted.get(event.eventId()));
            if (filter.room().state().matches(json, roomId)) {
                state.add(filter.project(json));
                if (lazy && event.pdu().type().equals("m.room.member")) {
                    membersSent.computeIfAbsent(roomId, r -> new ArrayList<>()).add(event.eventId());
                }
            }
        }
        return update;
    }

    /**
     * Up to {@code count} of the room's newest timeline events after {@code from} and at or before
     * {@code upTo}, newest first. An incremental sync usually finds a few new events: reading
     * forwards from {@code from} parses only those, where reading back from {@code upTo} would
     * parse {@code count} events of the room's history each time.
     */
    private List<RoomEvent> newestBetween(String roomId, long from, long upTo, int count) {
        List<RoomEvent> newestFirst = new ArrayList<>();
        if (from > 0) {
            List<RoomEvent> after = queries.eventsBetween(roomId, from, upTo, count);
            if (after.size() < count) { // every event in (from, upTo]
                for (RoomEvent event : after) {
                    if (shown(event)) {
                        newestFirst.add(event);
                    }
                }
                Collections.reverse(newestFirst);
                return newestFirst;
            }
        }
        for (RoomEvent event : queries.timeline(roomId, new StreamToken(upTo).toString(), TimelineDirection.BACKWARDS,
                count).events()) {
            if (event.streamOrdering() > from && shown(event)) {
                newestFirst.add(event);
            }
        }
        return newestFirst;
    }

    private static boolean shown(RoomEvent event) {
        return !event.outlier() && event.rejectionReason() == null;
    }

    /** The room's state after its last event at or before {@code position}; empty before the room existed. */
    private Map<StateKey, String> stateAt(String roomId, long position) {
        if (position <= 0) {
            return Map.of();
        }
        List<RoomEvent> last = queries.timeline(roomId, new StreamToken(position).toString(),
                TimelineDirection.BACKWARDS, 1).events();
        if (last.isEmpty()) {
            return Map.of();
        }
        return queries.stateIdsAfter(last.get(0).eventId()).orElse(Map.of());
    }

    /** What an invited or knocking user sees of the room: their membership and a few state events, stripped. */
    private ArrayNode strippedState(Membership invite) {
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        Map<StateKey, String> state = queries.stateIdsAfter(invite.eventId()).orElse(Map.of());
        for (Map.Entry<StateKey, String> entry : new TreeMap<>(state).entrySet()) {
            StateKey key = entry.getKey();
            boolean shown = (ClientEventFormat.STRIPPED_STATE_TYPES.contains(key.type()) && key.stateKey().isEmpty())
                    || entry.getValue().equals(invite.eventId());
            if (shown) {
                queries.event(entry.getValue()).ifPresent(event -> events.add(ClientEventFormat.stripped(event.pdu())));
            }
        }
        if (!state.containsValue(invite.eventId())) {
            queries.event(invite.eventId()).ifPresent(event -> {
                // An invite from another server, or a knock sent through one, carries the room's stripped state.
                if (state.isEmpty()) {
                    JsonNode unsigned = event.pdu().field("unsigned");
                    JsonNode roomState = unsigned.has("knock_room_state") ? unsigned.path("knock_room_state")
                            : unsigned.path("invite_room_state");
                    roomState.forEach(stripped -> {
                        if (stripped.isObject() && !stripped.path("state_key").asText("").equals(invite.userId())) {
                            events.add(stripped.deepCopy());
                        }
                    });
                }
                events.add(ClientEventFormat.stripped(event.pdu()));
            });
        }
        return events;
    }
}
