package dev.hyphae.node.relations;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.StoredRelation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The child events of a parent event, page by page, for the relationships API. Positions are
 * stream orderings: going backwards a page holds children at or before {@code from} and after
 * {@code to}; going forwards, children after {@code from} and at or before {@code to}.
 */
public final class ChildEvents {
    /** How many levels of relations a recursive request follows (the spec asks for at least 3). */
    public static final int RECURSION_DEPTH = 3;
    /** The most descendants a recursive request gathers before paging them. */
    static final int MAX_RECURSED = 1000;

    private final Store store;

    public ChildEvents(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * One page of children.
     *
     * @param events the children, in the page's direction
     * @param next   the position to continue from, or {@code null} when there are no more
     */
    public record Page(List<Pdu> events, Long next) {
        public Page {
            events = List.copyOf(events);
        }
    }

    /**
     * A page of the children of {@code parentId} in {@code roomId}; {@code relType} and
     * {@code eventType} narrow them when not {@code null}. With {@code recurse}, children of children
     * count too, down to {@link #RECURSION_DEPTH} levels, through matching events only.
     */
    public Page page(String roomId, RoomVersion version, String parentId, String relType, String eventType,
            Long from, Long to, boolean forwards, int limit, boolean recurse) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        long after = forwards ? (from == null ? 0 : from) : (to == null ? 0 : to);
        long before = forwards ? (to == null ? Long.MAX_VALUE : to + 1) : (from == null ? Long.MAX_VALUE : from + 1);
        return store.read(tx -> {
            List<StoredRelation> found = recurse
                    ? descendants(tx, roomId, parentId, relType, eventType, after, before, forwards)
                    : tx.relations().children(parentId, relType, eventType, after, before, forwards, limit + 1);
            List<StoredRelation> inRoom = found.stream().filter(r -> r.roomId().equals(roomId)).toList();
            boolean more = inRoom.size() > limit;
            List<StoredRelation> page = inRoom.subList(0, Math.min(limit, inRoom.size()));
            Map<String, StoredEvent> stored = tx.events().getAll(page.stream().map(StoredRelation::eventId).toList());
            List<Pdu> events = new ArrayList<>(page.size());
            for (StoredRelation relation : page) {
                StoredEvent event = stored.get(relation.eventId());
                if (event != null && !event.outlier() && !event.isRejected()) {
                    events.add(EventAggregator.toPdu(event, version));
                }
            }
            Long next = null;
            if (more && !page.isEmpty()) {
                long last = page.get(page.size() - 1).streamOrdering();
                next = forwards ? last : last - 1;
            }
            return new Page(events, next);
        });
    }

    /**
     * The {@code relType} children of {@code parentId} in {@code roomId} as indexed (no event is
     * read), newest first, at most {@code limit}; for callers that judge them by stream ordering.
     */
    public List<StoredRelation> newestRelations(String roomId, String parentId, String relType, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return store.read(tx -> tx.relations().children(parentId, relType, null, 0, Long.MAX_VALUE, false, limit))
                .stream().filter(r -> r.roomId().equals(roomId)).toList();
    }

    /** Every matching descendant within the bounds, reached through matching events only, in page order. */
    private static List<StoredRelation> descendants(ReadTransaction tx, String roomId, String parentId, String relType,
            String eventType, long after, long before, boolean forwards) {
        List<StoredRelation> all = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(parentId));
        Deque<String> level = new ArrayDeque<>(List.of(parentId));
        for (int depth = 1; depth <= RECURSION_DEPTH && !level.isEmpty() && all.size() < MAX_RECURSED; depth++) {
            Deque<String> nextLevel = new ArrayDeque<>();
            for (String parent : level) {
                for (StoredRelation child : tx.relations().children(parent, relType, eventType, 0, Long.MAX_VALUE, true,
                        MAX_RECURSED)) {
                    if (child.roomId().equals(roomId) && seen.add(child.eventId())) {
                        all.add(child);
                        nextLevel.add(child.eventId());
                    }
                }
            }
            level = nextLevel;
        }
        Comparator<StoredRelation> order = Comparator.comparingLong(StoredRelation::streamOrdering);
        return all.stream()
                .filter(r -> r.streamOrdering() > after && r.streamOrdering() < before)
                .sorted(forwards ? order : order.reversed())
                .toList();
    }
}
