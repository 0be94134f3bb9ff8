package dev.hyphae.node.roomserver;

import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.relations.ChildEvents;
import dev.hyphae.node.relations.EventAggregator;
import dev.hyphae.node.relations.ThreadRoots;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.stateres.StateResolver;
import dev.hyphae.store.Membership;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Read-only questions about rooms: current state, members, the timeline in stream order, single
 * events, and a user's rooms. Nothing here checks whether the asking user may see the answer
 * (history visibility, membership); the client API decides that before asking.
 */
public final class RoomQueries {
    /** The most events one timeline page holds, whatever limit is asked for. */
    public static final int MAX_PAGE = 1000;

    private final Store store;
    private final RoomHeadLoader heads;
    private final EventAggregator aggregator;
    private final ChildEvents childEvents;
    private final ThreadRoots threadRoots;

    public RoomQueries(Store store, EventAuthorizer authorizer) {
        this.store = Objects.requireNonNull(store, "store");
        this.heads = new RoomHeadLoader(store, new StateResolver(authorizer));
        this.aggregator = new EventAggregator(store);
        this.childEvents = new ChildEvents(store);
        this.threadRoots = new ThreadRoots(store);
    }

    /** The child events of parents, for the relationships API (no access checks, like the rest). */
    public ChildEvents childEvents() {
        return childEvents;
    }

    /** The thread roots of rooms, for the thread list. */
    public ThreadRoots threadRoots() {
        return threadRoots;
    }

    /**
     * What the server adds under {@code unsigned} when serving {@code events} to {@code viewer}
     * ({@code redacted_because}, bundled aggregations), keyed by event ID; events with nothing to
     * add are left out.
     */
    public Map<String, Aggregations> aggregations(Collection<RoomEvent> events, String viewer) {
        return aggregator.of(events.stream().map(RoomEvent::pdu).toList(), viewer);
    }

    /** Whether this node holds the room. */
    public boolean roomExists(String roomId) {
        return store.read(tx -> tx.rooms().get(roomId).isPresent());
    }

    /** The room's version. @throws RoomServerException NOT_FOUND for an unknown room */
    public RoomVersion roomVersion(String roomId) {
        return store.read(tx -> heads.version(tx, roomId));
    }

    /** The room's whole current state. @throws RoomServerException NOT_FOUND for an unknown room */
    public Map<StateKey, RoomEvent> currentState(String roomId) {
        RoomHead head = heads.load(roomId);
        return store.read(tx -> {
            Map<String, StoredEvent> stored = tx.events().getAll(head.state().values());
            Map<StateKey, RoomEvent> state = new HashMap<>();
            head.state().forEach((key, id) -> {
                StoredEvent event = stored.get(id);
                if (event == null) {
                    throw new IllegalStateException("state event " + id + " of " + roomId + " is not stored");
                }
                state.put(key, toRoomEvent(event, head.version()));
            });
            return state;
        });
    }

    /** One entry of the room's current state. @throws RoomServerException NOT_FOUND for an unknown room */
    public Optional<RoomEvent> stateEvent(String roomId, String type, String stateKey) {
        RoomHead head = heads.load(roomId);
        String id = head.state().get(StateKey.of(type, stateKey));
        if (id == null) {
            return Optional.empty();
        }
        return store.read(tx -> tx.events().get(id).map(event -> toRoomEvent(event, head.version())));
    }

    /** The room's current {@code m.room.member} events, ordered by user ID ({@code /members}). */
    public List<RoomEvent> memberEvents(String roomId) {
        List<RoomEvent> members = new ArrayList<>();
        currentState(roomId).entrySet().stream()
                .filter(entry -> entry.getKey().type().equals("m.room.member"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> members.add(entry.getValue()));
        return members;
    }

    /**
     * The room state just before an event (what /sync and /context show with a timeline that
     * starts at it): (type, state key) to event ID. Empty when the event is unknown or its state
     * was not recorded.
     */
    public Optional<Map<StateKey, String>> stateIdsBefore(String eventId) {
        return store.read(tx -> tx.stateSnapshots().eventState(eventId)
                .map(groups -> RoomHeadLoader.stateKeys(tx.stateSnapshots().state(groups.stateBeforeGroup()))));
    }

    /** The room state just after an event (it included, when it is a state event); see {@link #stateIdsBefore}. */
    public Optional<Map<StateKey, String>> stateIdsAfter(String eventId) {
        return store.read(tx -> tx.stateSnapshots().eventState(eventId)
                .map(groups -> RoomHeadLoader.stateKeys(tx.stateSnapshots().state(groups.stateAfterGroup()))));
    }

    /** Every membership of the room (join, invite, knock, leave, ban), ordered by user ID. */
    public List<Membership> members(String roomId) {
        return store.read(tx -> {
            heads.version(tx, roomId);
            return tx.memberships().inRoom(roomId);
        });
    }

    /** The user's current membership of the room: join, invite, knock, leave or ban; empty when never a member. */
    public Optional<String> membership(String roomId, String userId) {
        return store.read(tx -> tx.memberships().get(roomId, userId).map(Membership::membership));
    }

    /** The rooms the user is joined to, ordered by room ID. */
    public List<String> joinedRooms(String userId) {
        return roomsWith(userId, "join");
    }

    /** The rooms the user is invited to, ordered by room ID. */
    public List<String> invitedRooms(String userId) {
        return roomsWith(userId, "invite");
    }

    /** The user's memberships of every room this node knows, ordered by room ID. */
    public List<Membership> memberships(String userId) {
        return store.read(tx -> tx.memberships().forUser(userId));
    }

    /**
     * Whether the user forgot the room ({@code POST /forget}) at this membership: a forgotten room
     * comes back once the membership changes.
     */
    public boolean forgotten(Membership membership) {
        return store.read(tx -> tx.forgottenRooms().forgottenAt(membership.userId(), membership.roomId()))
                .map(membership.eventId()::equals).orElse(false);
    }

    /**
     * An event by ID, whatever room it is in. History visibility is not applied here: the caller
     * must check that the user may see it.
     */
    public Optional<RoomEvent> event(String eventId) {
        return store.read(tx -> tx.events().get(eventId).flatMap(event -> tx.rooms().get(event.roomId())
                .flatMap(room -> RoomVersions.find(room.roomVersion()))
                .map(version -> toRoomEvent(event, version))));
    }

    /**
     * The stored ones of {@code eventIds}, keyed by event ID, read at once (as {@link #event} reads
     * one); unknown IDs are left out.
     */
    public Map<String, RoomEvent> events(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        return store.read(tx -> {
            Map<String, Optional<RoomVersion>> versions = new HashMap<>();
            Map<String, RoomEvent> found = new HashMap<>();
            for (StoredEvent event : tx.events().getAll(eventIds).values()) {
                versions.computeIfAbsent(event.roomId(), roomId -> tx.rooms().get(roomId)
                        .flatMap(room -> RoomVersions.find(room.roomVersion())))
                        .ifPresent(version -> found.put(event.eventId(), toRoomEvent(event, version)));
            }
            return found;
        });
    }

    /** The token of the newest event stored (the position a timeline read "from now" starts at). */
    public StreamToken currentToken() {
        return new StreamToken(store.read(tx -> tx.events().maxStreamOrdering()));
    }

    /**
     * A page of the room's timeline ({@code /messages}): up to {@code limit} events after
     * {@code from} going forwards, or at and before it going backwards. Without {@code from},
     * forwards starts at the room's beginning and backwards at the newest event. Backwards paging
     * ends (end token {@code null}) at the room's create event.
     *
     * @throws RoomServerException NOT_FOUND for an unknown room, BAD_REQUEST for a bad token or limit
     */
    public TimelinePage timeline(String roomId, String from, TimelineDirection direction, int limit) {
        Objects.requireNonNull(direction, "direction");
        if (limit < 1) {
            throw RoomServerException.badRequest("limit must be positive");
        }
        int pageSize = Math.min(limit, MAX_PAGE);
        return store.read(tx -> {
            RoomVersion version = heads.version(tx, roomId);
            StreamToken start = from != null ? StreamToken.parse(from)
                    : direction == TimelineDirection.FORWARDS ? new StreamToken(0)
                    : new StreamToken(tx.events().maxStreamOrdering());
            List<StoredEvent> page = direction == TimelineDirection.FORWARDS
                    ? tx.events().roomEventsAfter(roomId, start.position(), pageSize)
                    : tx.events().roomEventsBefore(roomId, start.position() + 1, pageSize);
            Set<String> pendingRedactions = pendingRedactions(tx, page);
            List<RoomEvent> events = new ArrayList<>(page.size());
            for (StoredEvent event : page) {
                if (!pendingRedactions.contains(event.eventId())) {
                    events.add(toRoomEvent(event, version));
                }
            }
            String end = null;
            if (page.size() == pageSize) {
                long last = page.get(page.size() - 1).streamOrdering();
                end = new StreamToken(direction == TimelineDirection.FORWARDS ? last : last - 1).toString();
            }
            return new TimelinePage(events, start.toString(), end);
        });
    }

    /**
     * The first {@code limit} of the room's events with a stream ordering in {@code (after, upTo]},
     * oldest first, read forwards in pages in one read (as {@link #timeline} reads them: outliers
     * and rejected events included, redactions not applied yet left out). Fewer than {@code limit}
     * means there are no more; otherwise the next call continues after the last one's ordering.
     * Reading forwards from a sync's position parses only the events that are new since then.
     *
     * @throws RoomServerException NOT_FOUND for an unknown room, BAD_REQUEST for a limit below 1
     */
    public List<RoomEvent> eventsBetween(String roomId, long after, long upTo, int limit) {
        if (limit < 1) {
            throw RoomServerException.badRequest("limit must be positive");
        }
        return store.read(tx -> {
            RoomVersion version = heads.version(tx, roomId);
            List<RoomEvent> events = new ArrayList<>();
            long from = after;
            while (events.size() < limit && from < upTo) {
                int pageSize = Math.min(limit - events.size(), MAX_PAGE);
                List<StoredEvent> page = tx.events().roomEventsAfter(roomId, from, pageSize);
                Set<String> pendingRedactions = pendingRedactions(tx, page);
                for (StoredEvent event : page) {
                    if (event.streamOrdering() > upTo) {
                        return events;
                    }
                    if (!pendingRedactions.contains(event.eventId())) {
                        events.add(toRoomEvent(event, version));
                    }
                }
                if (page.size() < pageSize) {
                    break;
                }
                from = page.get(page.size() - 1).streamOrdering();
            }
            return events;
        });
    }

    /**
     * The redactions among {@code page} that were not applied: "they should not be sent to clients
     * until" the server applies them (see {@code RoomRedactions}).
     */
    private static Set<String> pendingRedactions(ReadTransaction tx, List<StoredEvent> page) {
        List<String> redactions = page.stream().filter(event -> event.type().equals("m.room.redaction"))
                .map(StoredEvent::eventId).toList();
        if (redactions.isEmpty()) {
            return Set.of();
        }
        Set<String> pending = new HashSet<>(redactions);
        tx.redactions().applied(redactions).forEach(pending::remove);
        return pending;
    }

    private List<String> roomsWith(String userId, String membership) {
        List<String> rooms = new ArrayList<>();
        for (Membership entry : memberships(userId)) {
            if (entry.membership().equals(membership)) {
                rooms.add(entry.roomId());
            }
        }
        return rooms;
    }

    private static RoomEvent toRoomEvent(StoredEvent event, RoomVersion version) {
        return new RoomEvent(RoomHeadLoader.toPdu(event, version), event.streamOrdering(), event.outlier(),
                event.rejectionReason());
    }
}
