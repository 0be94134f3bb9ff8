/**
 * State resolution: turning several room states into one, as the room versions define it. Pure
 * code over events handed in by a loader; {@link dev.hyphae.node.stateres.StateResolver} is the
 * entry point, with one strategy per {@link dev.hyphae.node.room.StateResolutionAlgorithm}.
 * The parts carry the spec's names: auth difference, conflicted state subgraph, reverse
 * topological power ordering, mainline ordering, iterative auth checks.
 */
package dev.hyphae.node.stateres;
