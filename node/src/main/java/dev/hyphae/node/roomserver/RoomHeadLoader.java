package dev.hyphae.node.roomserver;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.stateres.StateResolution;
import dev.hyphae.node.stateres.StateResolver;
import dev.hyphae.store.EventStateGroups;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Room;
import dev.hyphae.store.StateTuple;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a room's head from the store: its version, forward extremities and the state after them.
 * With one extremity (every room only this node writes to) that is the snapshot after it; with
 * several, their states are resolved with the room version's state resolution.
 */
final class RoomHeadLoader {
    /** Rooms whose head is kept between sends; a head is a room's state map and a few parsed events. */
    private static final int KEPT_HEADS = 256;
    /** The kept heads' state entries together (a few MiB); the least recently used heads go first. */
    private static final int KEPT_STATE_ENTRIES = 100_000;

    private final Store store;
    private final StateResolver stateResolver;
    /**
     * Heads of rooms with one forward extremity, as the last local send left them. A kept head is
     * used only while the store still names exactly its extremity: the state after one event never
     * changes, so any other writer (federation, room creation) that moves the room on makes the
     * head be read again.
     */
    private final Map<String, RoomHead> kept = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, RoomHead> eldest) {
                    return size() > KEPT_HEADS;
                }
            });

    RoomHeadLoader(Store store, StateResolver stateResolver) {
        this.store = Objects.requireNonNull(store, "store");
        this.stateResolver = Objects.requireNonNull(stateResolver, "stateResolver");
    }

    /** The room's version, or NOT_FOUND when this node does not know the room. */
    RoomVersion version(ReadTransaction tx, String roomId) {
        Room room = tx.rooms().get(roomId).orElseThrow(() -> RoomServerException.notFound("unknown room " + roomId));
        return RoomVersions.find(room.roomVersion()).orElseThrow(() -> new IllegalStateException(
                "room " + roomId + " has unsupported version " + room.roomVersion()));
    }

    /** @throws RoomServerException NOT_FOUND when the room is not known here */
    RoomHead load(String roomId) {
        return store.read(tx -> {
            Set<String> extremityIds = tx.forwardExtremities().get(roomId);
            RoomHead head = kept.get(roomId);
            if (head != null && head.extremities().size() == 1 && extremityIds.equals(head.extremityIds())) {
                return head;
            }
            RoomVersion version = version(tx, roomId);
            Map<String, StoredEvent> stored = tx.events().getAll(extremityIds);
            List<Pdu> extremities = new ArrayList<>();
            for (StoredEvent event : stored.values()) {
                extremities.add(toPdu(event, version));
            }
            if (extremities.isEmpty()) {
                throw new IllegalStateException("room " + roomId + " has no forward extremities");
            }
            if (extremities.size() == 1) {
                String only = extremities.get(0).eventId();
                EventStateGroups groups = tx.stateSnapshots().eventState(only).orElseThrow(
                        () -> new IllegalStateException("no state recorded after " + only));
                long group = groups.stateAfterGroup();
                return new RoomHead(roomId, version, stateKeys(tx.stateSnapshots().state(group)), group, extremities,
                        Map.of(), ids -> loadEvents(ids, version));
            }
            return new RoomHead(roomId, version, resolve(tx, version, extremities), null, extremities, Map.of(),
                    ids -> loadEvents(ids, version));
        });
    }

    /**
     * Keeps {@code head}, the room's head right after a committed local send, for the next
     * {@link #load}. Heads with several extremities are not kept (their state is resolved on load).
     */
    void keep(RoomHead head) {
        synchronized (kept) {
            if (head.extremities().size() == 1 && head.stateGroup() != null) {
                kept.put(head.roomId(), head);
            } else {
                kept.remove(head.roomId());
            }
            int entries = 0;
            for (RoomHead each : kept.values()) {
                entries += each.state().size();
            }
            Iterator<RoomHead> eldestFirst = kept.values().iterator();
            while (entries > KEPT_STATE_ENTRIES && kept.size() > 1) {
                entries -= eldestFirst.next().state().size();
                eldestFirst.remove();
            }
        }
    }

    private Map<StateKey, String> resolve(ReadTransaction tx, RoomVersion version, List<Pdu> extremities) {
        List<Map<StateKey, String>> sets = new ArrayList<>();
        for (Pdu extremity : extremities) {
            EventStateGroups groups = tx.stateSnapshots().eventState(extremity.eventId()).orElseThrow(
                    () -> new IllegalStateException("no state recorded after " + extremity.eventId()));
            sets.add(stateKeys(tx.stateSnapshots().state(groups.stateAfterGroup())));
        }
        Map<String, StoredEvent> cache = new HashMap<>();
        StateResolution resolution = stateResolver.resolve(version, sets,
                id -> stored(tx, cache, id).map(event -> toPdu(event, version)),
                id -> stored(tx, cache, id).map(StoredEvent::isRejected).orElse(false));
        if (resolution instanceof StateResolution.Failed failed) {
            throw new IllegalStateException("cannot resolve the state of the room's extremities: " + failed.reason());
        }
        return ((StateResolution.Resolved) resolution).state();
    }

    private static Optional<StoredEvent> stored(ReadTransaction tx, Map<String, StoredEvent> cache, String id) {
        StoredEvent event = cache.get(id);
        if (event == null) {
            event = tx.events().get(id).orElse(null);
            if (event != null) {
                cache.put(id, event);
            }
        }
        return Optional.ofNullable(event);
    }

    private Map<String, Pdu> loadEvents(Collection<String> ids, RoomVersion version) {
        return store.read(tx -> {
            Map<String, Pdu> events = new HashMap<>();
            tx.events().getAll(ids).forEach((id, event) -> events.put(id, toPdu(event, version)));
            return events;
        });
    }

    static Pdu toPdu(StoredEvent event, RoomVersion version) {
        return Pdu.fromStoredJson(event.eventId(), event.json().getBytes(StandardCharsets.UTF_8), version);
    }

    static Map<StateKey, String> stateKeys(Map<StateTuple, String> tuples) {
        Map<StateKey, String> state = new HashMap<>();
        tuples.forEach((tuple, id) -> state.put(StateKey.of(tuple.type(), tuple.stateKey()), id));
        return state;
    }
}
