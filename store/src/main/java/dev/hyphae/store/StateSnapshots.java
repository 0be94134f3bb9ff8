package dev.hyphae.store;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Room state snapshots ("state groups"), kept compact as a chain of deltas so that the state of a
 * large room is not copied for every event. Long chains are cut by writing a full snapshot, which
 * bounds the cost of reading a group.
 */
public interface StateSnapshots {
    Optional<StateGroup> group(long groupId);

    /**
     * The full state held by the group: state tuple to event ID.
     *
     * @throws IllegalArgumentException when the group does not exist
     */
    Map<StateTuple, String> state(long groupId);

    /**
     * The event ID that holds {@code tuple} in the group, if any.
     *
     * @throws IllegalArgumentException when the group does not exist
     */
    Optional<String> stateEventId(long groupId, StateTuple tuple);

    /** The snapshots before and after the event, if they were recorded. */
    Optional<EventStateGroups> eventState(String eventId);

    interface Writer extends StateSnapshots {
        /** Stores a full snapshot of the room's state and returns its group ID. */
        long createSnapshot(String roomId, Map<StateTuple, String> state);

        /**
         * Stores the state of {@code parentGroupId} with {@code changed} entries set and
         * {@code removed} tuples taken out, and returns the new group's ID. The group is stored as
         * a delta, or as a full snapshot when the parent's chain is long.
         *
         * @throws IllegalArgumentException when the parent does not exist, or a tuple is both
         *                                  changed and removed
         */
        long createDelta(long parentGroupId, Map<StateTuple, String> changed, Set<StateTuple> removed);

        /** Records the snapshots before and after an event, replacing an earlier record. */
        void setEventState(EventStateGroups groups);
    }
}
