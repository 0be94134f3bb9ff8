package dev.hyphae.node.stateres;

import dev.hyphae.node.event.StateKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state sets to resolve split into the unconflicted state map (keys present in every set with
 * the same event) and the conflicted state set (every other event).
 */
record StateConflicts(Map<StateKey, String> unconflicted, Set<String> conflicted) {

    StateConflicts {
        unconflicted = Collections.unmodifiableMap(unconflicted);
        conflicted = Collections.unmodifiableSet(conflicted);
    }

    static StateConflicts of(List<Map<StateKey, String>> stateSets) {
        Map<StateKey, String> unconflicted = new HashMap<>();
        Set<String> conflicted = new HashSet<>();
        Set<StateKey> keys = new HashSet<>();
        for (Map<StateKey, String> set : stateSets) {
            keys.addAll(set.keySet());
        }
        for (StateKey key : keys) {
            String first = null;
            boolean same = true;
            for (Map<StateKey, String> set : stateSets) {
                String value = set.get(key);
                if (value == null) {
                    same = false;
                } else if (first == null) {
                    first = value;
                } else if (!first.equals(value)) {
                    same = false;
                }
            }
            if (same) {
                unconflicted.put(key, first);
            } else {
                for (Map<StateKey, String> set : stateSets) {
                    String value = set.get(key);
                    if (value != null) {
                        conflicted.add(value);
                    }
                }
            }
        }
        return new StateConflicts(unconflicted, conflicted);
    }
}
