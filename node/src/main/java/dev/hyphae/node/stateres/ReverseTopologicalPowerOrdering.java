package dev.hyphae.node.stateres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The reverse topological power ordering: the lexicographically smallest topological ordering of
 * the auth-event DAG over a set of events, earliest first, found with Kahn's algorithm taking at
 * each step the smallest candidate where x &lt; y if x's sender has greater power, else x's
 * {@code origin_server_ts} is less, else x's event ID is less.
 */
final class ReverseTopologicalPowerOrdering {
    private ReverseTopologicalPowerOrdering() {
    }

    static List<String> sort(Collection<String> eventIds, ResolutionEvents events) {
        Set<String> set = new HashSet<>(eventIds);
        // The key of each event, computed once: power, then timestamp, then ID.
        Map<String, long[]> keys = new HashMap<>(set.size() * 2);
        Map<String, Integer> pendingAuth = new HashMap<>(set.size() * 2);
        Map<String, List<String>> dependents = new HashMap<>(set.size() * 2);
        for (String id : set) {
            keys.put(id, new long[] {events.senderPower(id), events.event(id).originServerTs()});
            int pending = 0;
            for (String auth : new HashSet<>(events.authEvents(id))) {
                if (set.contains(auth)) {
                    pending++;
                    dependents.computeIfAbsent(auth, k -> new ArrayList<>()).add(id);
                }
            }
            pendingAuth.put(id, pending);
        }
        Comparator<String> order = Comparator.<String>comparingLong(id -> -keys.get(id)[0])
                .thenComparingLong(id -> keys.get(id)[1])
                .thenComparing(Comparator.naturalOrder());
        PriorityQueue<String> candidates = new PriorityQueue<>(order);
        for (Map.Entry<String, Integer> entry : pendingAuth.entrySet()) {
            if (entry.getValue() == 0) {
                candidates.add(entry.getKey());
            }
        }
        List<String> sorted = new ArrayList<>(set.size());
        while (!candidates.isEmpty()) {
            String next = candidates.poll();
            sorted.add(next);
            for (String dependent : dependents.getOrDefault(next, List.of())) {
                if (pendingAuth.merge(dependent, -1, Integer::sum) == 0) {
                    candidates.add(dependent);
                }
            }
        }
        if (sorted.size() != set.size()) {
            throw new IllegalStateException("auth events form a cycle among " + (set.size() - sorted.size())
                    + " events");
        }
        return sorted;
    }
}
