package dev.hyphae.node.room;

/** Which state resolution algorithm a room version uses. */
public enum StateResolutionAlgorithm {
    /** Room version 1. */
    V1,
    /** Room versions 2 to 11. */
    V2,
    /** Room version 12: v2 with the conflicted state subgraph and resolution starting from empty state. */
    V2_1
}
