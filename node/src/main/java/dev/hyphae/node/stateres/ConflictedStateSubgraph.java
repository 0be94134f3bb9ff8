package dev.hyphae.node.stateres;

import dev.hyphae.node.dag.AuthChain;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The conflicted state subgraph (room version 12): every event on an {@code auth_events} path from
 * one event of the conflicted state set to another, endpoints included.
 *
 * <p>An event lies on such a path exactly when it is reachable from a conflicted event and a
 * conflicted event is reachable from it. So: walk the auth chains of the conflicted set, then keep
 * the events of that walk from which a conflicted event can be reached.
 */
final class ConflictedStateSubgraph {
    private ConflictedStateSubgraph() {
    }

    static Set<String> of(Set<String> conflicted, AuthChain authChain) {
        Set<String> reachable = authChain.of(conflicted);
        Map<String, Boolean> reachesConflicted = new HashMap<>();
        Set<String> subgraph = new HashSet<>();
        for (String id : reachable) {
            if (reaches(id, conflicted, reachable, authChain, reachesConflicted)) {
                subgraph.add(id);
            }
        }
        // Endpoints: the conflicted events that start or end one of the paths.
        for (String id : conflicted) {
            if (reachable.contains(id)) {
                subgraph.add(id);
            } else {
                for (String auth : authChain.authEventsOf(id)) {
                    if (Boolean.TRUE.equals(reachesConflicted.get(auth))) {
                        subgraph.add(id);
                        break;
                    }
                }
            }
        }
        return subgraph;
    }

    /** Whether a conflicted event is reachable from {@code start} (itself included), iteratively. */
    private static boolean reaches(String start, Set<String> conflicted, Set<String> within, AuthChain authChain,
            Map<String, Boolean> memo) {
        Boolean known = memo.get(start);
        if (known != null) {
            return known;
        }
        // Post-order walk with an explicit stack: auth chains can be thousands of events deep.
        Deque<String> stack = new ArrayDeque<>();
        Set<String> expanded = new HashSet<>();
        stack.push(start);
        while (!stack.isEmpty()) {
            String id = stack.peek();
            if (memo.containsKey(id)) {
                stack.pop();
                continue;
            }
            if (conflicted.contains(id)) {
                memo.put(id, true);
                stack.pop();
                continue;
            }
            if (expanded.add(id)) {
                for (String auth : authChain.authEventsOf(id)) {
                    if (within.contains(auth) && !memo.containsKey(auth)) {
                        stack.push(auth);
                    }
                }
                continue;
            }
            boolean result = false;
            for (String auth : authChain.authEventsOf(id)) {
                if (within.contains(auth) && Boolean.TRUE.equals(memo.get(auth))) {
                    result = true;
                    break;
                }
            }
            memo.put(id, result);
            stack.pop();
        }
        return memo.get(start);
    }
}
