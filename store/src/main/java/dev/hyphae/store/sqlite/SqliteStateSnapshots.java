package dev.hyphae.store.sqlite;

import dev.hyphae.store.EventStateGroups;
import dev.hyphae.store.StateGroup;
import dev.hyphae.store.StateSnapshots;
import dev.hyphae.store.StateTuple;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** State snapshots over the state_groups, state_group_entries and event_state tables. */
final class SqliteStateSnapshots implements StateSnapshots.Writer {
    /**
     * The longest delta chain kept; a longer one is cut by a full snapshot, so that reading a
     * group touches at most this many groups.
     */
    static final int MAX_CHAIN_LENGTH = 64;

    private final StateGroupsTable groups;
    private final StateGroupEntriesTable entries;
    private final EventStateTable eventState;

    SqliteStateSnapshots(TransactionScope scope) {
        this.groups = new StateGroupsTable(scope);
        this.entries = new StateGroupEntriesTable(scope);
        this.eventState = new EventStateTable(scope);
    }

    @Override
    public Optional<StateGroup> group(long groupId) {
        return groups.get(groupId);
    }

    @Override
    public Map<StateTuple, String> state(long groupId) {
        requireGroup(groupId);
        return entries.resolve(groupId);
    }

    @Override
    public Optional<String> stateEventId(long groupId, StateTuple tuple) {
        Objects.requireNonNull(tuple, "tuple");
        requireGroup(groupId);
        return entries.resolve(groupId, tuple);
    }

    @Override
    public Optional<EventStateGroups> eventState(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return eventState.get(eventId);
    }

    @Override
    public long createSnapshot(String roomId, Map<StateTuple, String> state) {
        Objects.requireNonNull(roomId, "roomId");
        requireNoNullEventIds(state);
        long groupId = groups.insert(roomId, null, 0);
        entries.insert(groupId, state);
        return groupId;
    }

    @Override
    public long createDelta(long parentGroupId, Map<StateTuple, String> changed, Set<StateTuple> removed) {
        requireNoNullEventIds(changed);
        Objects.requireNonNull(removed, "removed");
        for (StateTuple tuple : removed) {
            if (changed.containsKey(tuple)) {
                throw new IllegalArgumentException("state tuple " + tuple + " is both changed and removed");
            }
        }
        StateGroup parent = requireGroup(parentGroupId);
        if (parent.chainLength() + 1 > MAX_CHAIN_LENGTH) {
            Map<StateTuple, String> full = new HashMap<>(entries.resolve(parentGroupId));
            full.keySet().removeAll(removed);
            full.putAll(changed);
            return createSnapshot(parent.roomId(), full);
        }
        Map<StateTuple, String> delta = new HashMap<>(changed);
        for (StateTuple tuple : removed) {
            delta.put(tuple, null);
        }
        long groupId = groups.insert(parent.roomId(), parentGroupId, parent.chainLength() + 1);
        entries.insert(groupId, delta);
        return groupId;
    }

    @Override
    public void setEventState(EventStateGroups groups) {
        Objects.requireNonNull(groups, "groups");
        requireGroup(groups.stateBeforeGroup());
        requireGroup(groups.stateAfterGroup());
        eventState.upsert(groups);
    }

    private StateGroup requireGroup(long groupId) {
        return groups.get(groupId)
                .orElseThrow(() -> new IllegalArgumentException("unknown state group " + groupId));
    }

    private static void requireNoNullEventIds(Map<StateTuple, String> state) {
        Objects.requireNonNull(state, "state");
        for (Map.Entry<StateTuple, String> entry : state.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new IllegalArgumentException("state entries need a tuple and an event ID");
            }
        }
    }
}
