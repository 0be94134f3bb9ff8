package dev.hyphae.node.stateres;

import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.event.StateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * State resolution v2 (room versions 2 to 11) and its v2.1 iteration (room version 12), which adds
 * the conflicted state subgraph to the full conflicted set and starts the first iterative auth
 * checks from an empty state instead of the unconflicted state map.
 */
final class StateResolutionV2 implements ResolutionStrategy {
    private final EventAuthorizer authorizer;
    private final boolean v21;

    StateResolutionV2(EventAuthorizer authorizer, boolean v21) {
        this.authorizer = authorizer;
        this.v21 = v21;
    }

    @Override
    public Map<StateKey, String> resolve(List<Map<StateKey, String>> stateSets, ResolutionEvents events) {
        StateConflicts conflicts = StateConflicts.of(stateSets);
        if (conflicts.conflicted().isEmpty()) {
            return conflicts.unconflicted();
        }
        Set<String> fullConflicted = new HashSet<>(conflicts.conflicted());
        fullConflicted.addAll(AuthDifference.of(stateSets, conflicts, events.authChain()));
        if (v21) {
            fullConflicted.addAll(ConflictedStateSubgraph.of(conflicts.conflicted(), events.authChain()));
        }

        // 1. Power events of the full conflicted set, with the parts of their auth chains in it.
        List<String> powerEvents = new ArrayList<>();
        for (String id : fullConflicted) {
            if (events.isPowerEvent(id)) {
                powerEvents.add(id);
            }
        }
        Set<String> selected = new HashSet<>(powerEvents);
        for (String id : events.authChain().of(powerEvents)) {
            if (fullConflicted.contains(id)) {
                selected.add(id);
            }
        }
        List<String> sortedPower = ReverseTopologicalPowerOrdering.sort(selected, events);

        // 2. Iterative auth checks from the unconflicted state map (v2) or an empty state (v2.1).
        IterativeAuthChecks checks = new IterativeAuthChecks(authorizer, events);
        Map<StateKey, String> partial = checks.apply(v21 ? Map.of() : conflicts.unconflicted(), sortedPower);

        // 3. The rest in mainline order based on the partial state's power levels.
        List<String> remaining = new ArrayList<>();
        for (String id : fullConflicted) {
            if (!selected.contains(id)) {
                remaining.add(id);
            }
        }
        Optional<String> powerLevels = Optional.ofNullable(partial.get(StateKey.of(ResolutionEvents.POWER_LEVELS, "")));
        List<String> sortedRest = new MainlineOrdering(powerLevels, events).sort(remaining);

        // 4. Iterative auth checks on the partial state.
        Map<StateKey, String> resolved = checks.apply(partial, sortedRest);

        // 5. The unconflicted state map wins.
        Map<StateKey, String> result = new HashMap<>(resolved);
        result.putAll(conflicts.unconflicted());
        return result;
    }
}
