package dev.hyphae.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The events table and the DAG edges between events.
 *
 * <p>Timeline queries return only events that are neither outliers nor rejected.
 */
public interface Events {
    Optional<StoredEvent> get(String eventId);

    /** The stored events among {@code eventIds}, keyed by event ID; unknown IDs are left out. */
    Map<String, StoredEvent> getAll(Collection<String> eventIds);

    boolean exists(String eventId);

    /** The {@code prev_events} stored with the event, in their original order; empty if unknown. */
    List<String> prevEventIds(String eventId);

    /** The {@code auth_events} stored with the event, in their original order; empty if unknown. */
    List<String> authEventIds(String eventId);

    /**
     * The auth chain of the given events: every event ID reachable from them through
     * {@code auth_events}, not counting the given events unless they are reachable from another.
     * It includes the IDs of referenced events that are not stored, but cannot walk past them.
     */
    Set<String> authChain(Collection<String> eventIds);

    /** Timeline events of the room with stream ordering greater than {@code after}, ascending. */
    List<StoredEvent> roomEventsAfter(String roomId, long after, int limit);

    /** Timeline events of the room with stream ordering less than {@code before}, descending. */
    List<StoredEvent> roomEventsBefore(String roomId, long before, int limit);

    /** Timeline events of all rooms with stream ordering greater than {@code after}, ascending. */
    List<StoredEvent> eventsAfter(long after, int limit);

    /**
     * The room's backward extremities: events that non-outlier events of the room name as
     * {@code prev_events} but that are not stored, the places to fill the room's history from.
     */
    Set<String> backwardExtremities(String roomId);

    /** The greatest stream ordering stored, or 0 when there are no events. */
    long maxStreamOrdering();

    interface Writer extends Events {
        /**
         * Stores the event and its prev-event edges. A second insertion of the same event ID
         * changes nothing and returns {@link EventInsertion.Duplicate}.
         *
         * @throws StoreException when the room is not stored
         */
        EventInsertion insert(NewEvent event);

        /**
         * Replaces the stored JSON of an event, for its redacted form; the indexed columns keep
         * their values. Returns {@code false} for an unknown event.
         */
        boolean replaceJson(String eventId, String json);

        /** Records that the event was rejected; returns {@code false} for an unknown event. */
        boolean reject(String eventId, String reason);

        /**
         * Makes an outlier part of the room's timeline, giving it a new stream ordering so that
         * sync sees it; returns {@code false} when the event is unknown or not an outlier.
         */
        boolean markNotOutlier(String eventId);
    }
}
