package dev.hyphae.node.stateres;

import dev.hyphae.node.event.StateKey;
import java.util.List;
import java.util.Map;

/** One state resolution algorithm. Implementations throw {@link dev.hyphae.node.dag.MissingEventException}. */
interface ResolutionStrategy {
    Map<StateKey, String> resolve(List<Map<StateKey, String>> stateSets, ResolutionEvents events);
}
