package dev.hyphae.node.stateres;

import dev.hyphae.node.dag.AuthChain;
import dev.hyphae.node.event.StateKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The auth difference of state sets: the events in some but not all of the sets' full auth chains
 * (the union of the auth chains of each set's events), i.e. ∪ C<sub>i</sub> − ∩ C<sub>i</sub>.
 */
final class AuthDifference {
    private AuthDifference() {
    }

    /**
     * Computes the difference. The unconflicted events are in every set, so their auth chain lies in
     * every C<sub>i</sub>; it is walked once and each set's walk stops at it.
     */
    static Set<String> of(List<Map<StateKey, String>> stateSets, StateConflicts conflicts, AuthChain authChain) {
        Set<String> common = authChain.of(conflicts.unconflicted().values());
        List<Set<String>> rest = new ArrayList<>(stateSets.size());
        for (Map<StateKey, String> set : stateSets) {
            List<String> conflictedHere = new ArrayList<>();
            for (Map.Entry<StateKey, String> entry : set.entrySet()) {
                if (!entry.getValue().equals(conflicts.unconflicted().get(entry.getKey()))) {
                    conflictedHere.add(entry.getValue());
                }
            }
            rest.add(authChain.of(conflictedHere, common));
        }
        Set<String> union = new HashSet<>();
        for (Set<String> chain : rest) {
            union.addAll(chain);
        }
        Set<String> difference = new HashSet<>();
        for (String id : union) {
            for (Set<String> chain : rest) {
                if (!chain.contains(id)) {
                    difference.add(id);
                    break;
                }
            }
        }
        return difference;
    }
}
