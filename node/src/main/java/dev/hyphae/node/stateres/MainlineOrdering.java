package dev.hyphae.node.stateres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mainline ordering based on a power levels event P: the mainline of P is P followed by the
 * power levels events reached by following each one's power levels auth event; an event's mainline
 * position is the index of the first power levels event in its own such chain that is on P's
 * mainline (or infinity). Events sort by greater position first, then {@code origin_server_ts},
 * then event ID.
 */
final class MainlineOrdering {
    static final long INFINITY = Long.MAX_VALUE;

    private final ResolutionEvents events;
    private final Map<String, Integer> mainline = new HashMap<>();
    private final Map<String, Long> positions = new HashMap<>();

    /** @param powerLevels P, or empty when the partial state has no power levels (all positions infinite) */
    MainlineOrdering(Optional<String> powerLevels, ResolutionEvents events) {
        this.events = events;
        Optional<String> next = powerLevels;
        int index = 0;
        while (next.isPresent() && !mainline.containsKey(next.get())) {
            mainline.put(next.get(), index++);
            next = events.powerLevelsAuthEvent(next.get());
        }
    }

    /** The mainline of P, P first. */
    List<String> mainline() {
        List<String> list = new ArrayList<>(mainline.keySet());
        list.sort(Comparator.comparing(mainline::get));
        return list;
    }

    /** The mainline position of an event: a mainline index, or {@link #INFINITY}. */
    long position(String eventId) {
        Long cached = positions.get(eventId);
        if (cached != null) {
            return cached;
        }
        // Walk e1, e2, ... until one is on the mainline or a position is already known.
        List<String> walked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        walked.add(eventId);
        seen.add(eventId);
        long position = INFINITY;
        Optional<String> next = events.powerLevelsAuthEvent(eventId);
        while (next.isPresent()) {
            String id = next.get();
            Integer index = mainline.get(id);
            if (index != null) {
                position = index;
                break;
            }
            Long known = positions.get(id);
            if (known != null) {
                position = known;
                break;
            }
            if (!seen.add(id)) {
                break;
            }
            walked.add(id);
            next = events.powerLevelsAuthEvent(id);
        }
        // Every event walked through reaches the same first mainline event.
        for (String id : walked) {
            positions.put(id, position);
        }
        return position;
    }

    /** The events in mainline order, smallest first. */
    List<String> sort(Collection<String> eventIds) {
        Map<String, long[]> keys = new HashMap<>(eventIds.size() * 2);
        for (String id : eventIds) {
            keys.put(id, new long[] {position(id), events.event(id).originServerTs()});
        }
        List<String> sorted = new ArrayList<>(keys.keySet());
        sorted.sort(Comparator.<String>comparingLong(id -> -keys.get(id)[0])
                .thenComparingLong(id -> keys.get(id)[1])
                .thenComparing(Comparator.naturalOrder()));
        return sorted;
    }
}
