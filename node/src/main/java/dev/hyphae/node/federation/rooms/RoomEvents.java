package dev.hyphae.node.federation.rooms;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.stateres.StateResolution;
import dev.hyphae.node.stateres.StateResolver;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.StateTuple;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the federation code reads about rooms from the store: room versions, stored events as
 * PDUs, the state before and after an event, forward extremities, auth chains, and the state of a
 * set of extremities (resolved when there are several).
 */
final class RoomEvents {
    private final Store store;
    private final StateResolver resolver;

    RoomEvents(Store store, StateResolver resolver) {
        this.store = Objects.requireNonNull(store, "store");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The room's version, empty when this node does not know the room or not its version. */
    Optional<RoomVersion> version(String roomId) {
        return store.read(tx -> tx.rooms().get(roomId)).flatMap(room -> RoomVersions.find(room.roomVersion()));
    }

    /** A stored event, whatever its outcome (rejected, outlier or part of the timeline). */
    Optional<StoredEvent> stored(String eventId) {
        return store.read(tx -> tx.events().get(eventId));
    }

    /** A stored event of a room of {@code version} as a PDU. */
    Optional<Pdu> pdu(String eventId, RoomVersion version) {
        return stored(eventId).map(event -> toPdu(event, version));
    }

    /** Stored events among {@code ids} as PDUs, keyed by event ID. */
    Map<String, Pdu> pdus(Collection<String> ids, RoomVersion version) {
        Map<String, Pdu> pdus = new HashMap<>();
        store.read(tx -> tx.events().getAll(ids)).forEach((id, event) -> pdus.put(id, toPdu(event, version)));
        return pdus;
    }

    /** Stored events among {@code ids} as stored, keyed by event ID. */
    Map<String, StoredEvent> storedAll(Collection<String> ids) {
        return store.read(tx -> tx.events().getAll(ids));
    }

    /** Whether the event is stored with its state (not only as an outlier without state). */
    boolean hasState(String eventId) {
        return store.read(tx -> tx.stateSnapshots().eventState(eventId)).isPresent();
    }

    /** The state before the event, when recorded. */
    Optional<Map<StateKey, String>> stateBefore(String eventId) {
        return store.read(tx -> tx.stateSnapshots().eventState(eventId)
                .map(groups -> stateKeys(tx.stateSnapshots().state(groups.stateBeforeGroup()))));
    }

    /** The state after the event (it included unless rejected), when recorded. */
    Optional<Map<StateKey, String>> stateAfter(String eventId) {
        return store.read(tx -> tx.stateSnapshots().eventState(eventId)
                .map(groups -> stateKeys(tx.stateSnapshots().state(groups.stateAfterGroup()))));
    }

    Set<String> forwardExtremities(String roomId) {
        return store.read(tx -> tx.forwardExtremities().get(roomId));
    }

    /** The auth chain of the events: every event reachable through {@code auth_events}. */
    Set<String> authChain(Collection<String> eventIds) {
        return store.read(tx -> tx.events().authChain(eventIds));
    }

    /**
     * The auth chain of events of one room, with the room's create event even where (room version
     * 12) events do not list it among their auth events: every auth check needs it.
     */
    Set<String> authChain(Collection<String> eventIds, String roomId, RoomVersion version) {
        Set<String> chain = new HashSet<>(authChain(eventIds));
        if (version.roomIdFromCreateEvent() && roomId.startsWith("!")) {
            chain.add("$" + roomId.substring(1));
        }
        return chain;
    }

    /** The room's current state: the state after its forward extremities, resolved when several. */
    Map<StateKey, String> currentState(String roomId, RoomVersion version) {
        List<String> extremities = new ArrayList<>(forwardExtremities(roomId));
        if (extremities.isEmpty()) {
            return Map.of();
        }
        return stateAfterAll(extremities, version, Map.of(), Map.of())
                .orElseThrow(() -> new IllegalStateException("cannot resolve the current state of " + roomId));
    }

    /**
     * The state after all of {@code eventIds} taken together: the state after each, resolved by the
     * room version's algorithm when there are several. {@code unstored} holds events not stored yet
     * (the event being received) and {@code unstoredState} their state after. Empty when a state is
     * unknown or cannot be resolved.
     */
    Optional<Map<StateKey, String>> stateAfterAll(Collection<String> eventIds, RoomVersion version,
            Map<String, Pdu> unstored, Map<String, Map<StateKey, String>> unstoredState) {
        List<Map<StateKey, String>> sets = new ArrayList<>();
        for (String id : eventIds) {
            Optional<Map<StateKey, String>> state = Optional.ofNullable(unstoredState.get(id)).or(() -> stateAfter(id));
            if (state.isEmpty()) {
                return Optional.empty();
            }
            sets.add(state.get());
        }
        if (sets.isEmpty()) {
            return Optional.empty();
        }
        return resolve(version, sets, unstored);
    }

    /**
     * Resolves state sets whose events are stored or among {@code unstored}; empty when resolution
     * fails.
     */
    Optional<Map<StateKey, String>> resolve(RoomVersion version, List<Map<StateKey, String>> sets,
            Map<String, Pdu> unstored) {
        if (sets.size() == 1) {
            return Optional.of(sets.get(0));
        }
        return store.read(tx -> {
            Map<String, StoredEvent> cache = new HashMap<>();
            StateResolution resolution = resolver.resolve(version, sets,
                    id -> unstored.containsKey(id) ? Optional.of(unstored.get(id))
                            : cached(tx, cache, id).map(event -> toPdu(event, version)),
                    id -> !unstored.containsKey(id) && cached(tx, cache, id).map(StoredEvent::isRejected).orElse(false));
            return resolution instanceof StateResolution.Resolved resolved
                    ? Optional.of(resolved.state()) : Optional.empty();
        });
    }

    /** The events of the state map, keyed by (type, state key); events not stored are left out. */
    Map<StateKey, Pdu> stateEvents(Map<StateKey, String> state, RoomVersion version) {
        Map<String, Pdu> events = pdus(state.values(), version);
        Map<StateKey, Pdu> keyed = new HashMap<>();
        state.forEach((key, id) -> {
            Pdu pdu = events.get(id);
            if (pdu != null) {
                keyed.put(key, pdu);
            }
        });
        return keyed;
    }

    <T> T read(Function<ReadTransaction, T> unit) {
        return store.read(unit::apply);
    }

    private static Optional<StoredEvent> cached(ReadTransaction tx, Map<String, StoredEvent> cache, String id) {
        StoredEvent event = cache.get(id);
        if (event == null) {
            event = tx.events().get(id).orElse(null);
            if (event != null) {
                cache.put(id, event);
            }
        }
        return Optional.ofNullable(event);
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
