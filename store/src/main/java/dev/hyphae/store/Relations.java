package dev.hyphae.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relations index: which events relate to which ({@code m.relates_to}), written when events are
 * stored so that the relationships API, thread lists and bundled aggregations need not parse events.
 */
public interface Relations {
    /** The relation the event has to its parent, if it is indexed. */
    Optional<StoredRelation> get(String eventId);

    /**
     * The parent's children with stream ordering strictly between {@code after} and {@code before},
     * newest first ({@code forwards} false) or oldest first; {@code relType} and {@code eventType}
     * narrow the result when not {@code null}.
     */
    List<StoredRelation> children(String parentId, String relType, String eventType, long after, long before,
            boolean forwards, int limit);

    /** How many children of the type the parent has. */
    long count(String parentId, String relType);

    /** Whether {@code sender} sent a child of the type to the parent. */
    boolean hasChildFrom(String parentId, String relType, String sender);

    /**
     * The parents among {@code parentIds} that have children of the type, each with its newest such
     * child (greatest stream ordering).
     */
    Map<String, StoredRelation> latestChildren(Collection<String> parentIds, String relType);

    /**
     * The child of the type from {@code sender} and of {@code eventType} with the greatest
     * {@code origin_server_ts} (then the greatest event ID): the latest edit of an event.
     */
    Optional<StoredRelation> latestFrom(String parentId, String relType, String sender, String eventType);

    /**
     * Thread roots of the room ({@code m.thread} parents) whose newest thread event has a stream
     * ordering below {@code before}, ordered by that newest event, newest first. With a
     * {@code participant}, only threads whose root or a thread event they sent.
     */
    List<StoredRelation> threads(String roomId, String participant, long before, int limit);

    interface Writer extends Relations {
        /** Indexes a relation; a second one for the same child changes nothing and returns false. */
        boolean add(StoredRelation relation);

        /** Drops the child's relation (its relationship is broken, e.g. by a redaction); false when none. */
        boolean remove(String eventId);
    }
}
