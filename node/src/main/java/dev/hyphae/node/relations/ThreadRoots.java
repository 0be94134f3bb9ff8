package dev.hyphae.node.relations;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.StoredRelation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The thread roots of a room ({@code GET /rooms/{roomId}/threads}), ordered by their latest thread
 * event, newest first. A position is the stream ordering of a thread's latest event: the next page
 * holds threads whose latest event is older.
 */
public final class ThreadRoots {
    private final Store store;

    public ThreadRoots(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * One page of thread roots.
     *
     * @param roots the root events
     * @param next  the position to continue from, or {@code null} when there are no more
     */
    public record Page(List<Pdu> roots, Long next) {
        public Page {
            roots = List.copyOf(roots);
        }
    }

    /**
     * Threads of the room whose latest event is before {@code from} (all when {@code null}); with a
     * {@code participant}, only threads they sent the root of or an event in.
     */
    public Page page(String roomId, RoomVersion version, String participant, Long from, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        long before = from == null ? Long.MAX_VALUE : from;
        return store.read(tx -> {
            List<StoredRelation> threads = tx.relations().threads(roomId, participant, before, limit + 1);
            boolean more = threads.size() > limit;
            List<StoredRelation> page = threads.subList(0, Math.min(limit, threads.size()));
            Map<String, StoredEvent> roots = tx.events().getAll(page.stream().map(StoredRelation::parentId).toList());
            List<Pdu> events = new ArrayList<>();
            for (StoredRelation thread : page) {
                StoredEvent root = roots.get(thread.parentId());
                if (root != null && root.roomId().equals(roomId) && !root.isRejected()) {
                    events.add(EventAggregator.toPdu(root, version));
                }
            }
            Long next = more && !page.isEmpty() ? page.get(page.size() - 1).streamOrdering() : null;
            return new Page(events, next);
        });
    }
}
