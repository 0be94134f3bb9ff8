package dev.hyphae.node.roomserver;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where a room stands for the next local event: its forward extremities, its current state
 * (type and state key to event ID), and the stored state snapshot holding that state. Immutable;
 * {@link #after} gives the head once an accepted event is added. State events are loaded on
 * demand through the loader and kept. Used by one thread at a time (under the room's lock).
 */
final class RoomHead {
    static final StateKey CREATE = StateKey.of("m.room.create", "");

    private final String roomId;
    private final RoomVersion version;
    private final Map<StateKey, String> state;
    private final Long stateGroup;
    private final List<Pdu> extremities;
    /** Events of the state and the extremities already parsed; safe to share between threads. */
    private final ConcurrentHashMap<String, Pdu> known;
    private final Function<Collection<String>, Map<String, Pdu>> loader;

    /**
     * @param stateGroup the stored snapshot holding {@code state}, or {@code null} when the state is
     *                   not stored as one group (resolved from several extremities, or not yet written)
     */
    RoomHead(String roomId, RoomVersion version, Map<StateKey, String> state, Long stateGroup, List<Pdu> extremities,
            Map<String, Pdu> known, Function<Collection<String>, Map<String, Pdu>> loader) {
        this(roomId, version, Collections.unmodifiableMap(new HashMap<>(state)), stateGroup, List.copyOf(extremities),
                new ConcurrentHashMap<>(known), loader, true);
    }

    /** Takes {@code state}, {@code extremities} and {@code known} as they are: the caller hands them over. */
    private RoomHead(String roomId, RoomVersion version, Map<StateKey, String> state, Long stateGroup,
            List<Pdu> extremities, ConcurrentHashMap<String, Pdu> known,
            Function<Collection<String>, Map<String, Pdu>> loader, boolean handedOver) {
        this.roomId = Objects.requireNonNull(roomId, "roomId");
        this.version = Objects.requireNonNull(version, "version");
        this.state = state;
        this.stateGroup = stateGroup;
        this.extremities = extremities;
        this.known = known;
        for (Pdu pdu : extremities) {
            this.known.put(pdu.eventId(), pdu);
        }
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** The head of a room whose only event is its create event, before anything is stored. */
    static RoomHead ofCreate(String roomId, Pdu create) {
        return new RoomHead(roomId, create.roomVersion(), Map.of(CREATE, create.eventId()), null, List.of(create),
                Map.of(), ids -> Map.of());
    }

    String roomId() {
        return roomId;
    }

    RoomVersion version() {
        return version;
    }

    Map<StateKey, String> state() {
        return state;
    }

    Long stateGroup() {
        return stateGroup;
    }

    List<Pdu> extremities() {
        return extremities;
    }

    /** The current state events at {@code keys} that exist, keyed by (type, state key). */
    Map<StateKey, Pdu> stateEvents(Collection<StateKey> keys) {
        List<String> missing = new ArrayList<>();
        for (StateKey key : keys) {
            String id = state.get(key);
            if (id != null && !known.containsKey(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, Pdu> loaded = loader.apply(missing);
            known.putAll(loaded);
        }
        Map<StateKey, Pdu> events = new LinkedHashMap<>();
        for (StateKey key : keys) {
            String id = state.get(key);
            Pdu pdu = id == null ? null : known.get(id);
            if (id != null && pdu == null) {
                throw new IllegalStateException("state event " + id + " of room " + roomId + " is not stored");
            }
            if (pdu != null) {
                events.put(key, pdu);
            }
        }
        return events;
    }

    /** The current state event at one key, if any. */
    Optional<Pdu> stateEvent(String type, String stateKey) {
        StateKey key = StateKey.of(type, stateKey);
        return Optional.ofNullable(stateEvents(Set.of(key)).get(key));
    }

    /** The IDs of the forward extremities. */
    Set<String> extremityIds() {
        Set<String> ids = new HashSet<>();
        for (Pdu pdu : extremities) {
            ids.add(pdu.eventId());
        }
        return ids;
    }

    /** The head once {@code accepted} (built on this head) is part of the room. */
    RoomHead after(Pdu accepted) {
        return after(accepted, null);
    }

    /**
     * The head once {@code accepted} (built on this head) is part of the room, whose state after it
     * is stored as {@code stateGroup} ({@code null} when not known). Keeps the parsed events that
     * are still current state or extremities, so that a head kept between sends stays small.
     */
    RoomHead after(Pdu accepted, Long stateGroup) {
        Map<StateKey, String> nextState = state;
        ConcurrentHashMap<String, Pdu> nextKnown = new ConcurrentHashMap<>(known);
        if (accepted.isState()) {
            StateKey key = accepted.stateTuple().orElseThrow();
            HashMap<StateKey, String> changed = new HashMap<>(state);
            String replaced = changed.put(key, accepted.eventId());
            nextState = Collections.unmodifiableMap(changed);
            if (replaced != null) {
                nextKnown.remove(replaced);
            }
        }
        List<Pdu> nextExtremities = new ArrayList<>();
        List<String> prevs = accepted.prevEventIds();
        for (Pdu pdu : extremities) {
            if (!prevs.contains(pdu.eventId())) {
                nextExtremities.add(pdu);
            } else if (!pdu.isState() || !pdu.eventId().equals(nextState.get(pdu.stateTuple().orElseThrow()))) {
                nextKnown.remove(pdu.eventId());
            }
        }
        nextExtremities.add(accepted);
        return new RoomHead(roomId, version, nextState, stateGroup, List.copyOf(nextExtremities), nextKnown, loader,
                true);
    }
}
