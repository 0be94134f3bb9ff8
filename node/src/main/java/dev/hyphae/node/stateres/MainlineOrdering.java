package dev.hyphae.node.stateres;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** An event's sort key, computed once so that comparisons read fields, not maps. */
    private record SortKey(String eventId, long position, long originServerTs) {
    }

    /** Greater position first, then smaller {@code origin_server_ts}, then smaller event ID. */
    private static final Comparator<SortKey> ORDER = (a, b) -> {
        int byPosition = Long.compare(b.position, a.position);
        if (byPosition != 0) {
            return byPosition;
        }
        int byTime = Long.compare(a.originServerTs, b.originServerTs);
        return byTime != 0 ? byTime : a.eventId.compareTo(b.eventId);
    };

    /** The events in mainline order, smallest first. */
    List<String> sort(Collection<String> eventIds) {
        Collection<String> distinct = eventIds instanceof Set<String> ? eventIds : new HashSet<>(eventIds);
        SortKey[] keys = new SortKey[distinct.size()];
        int n = 0;
        for (String id : distinct) {
            keys[n++] = new SortKey(id, position(id), events.event(id).originServerTs());
        }
        Arrays.sort(keys, ORDER);
        List<String> sorted = new ArrayList<>(keys.length);
        for (SortKey key : keys) {
            sorted.add(key.eventId);
        }
        return sorted;
    }
}
