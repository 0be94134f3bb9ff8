package dev.hyphae.node.event;

import java.util.Objects;

/** The pair that identifies one piece of room state: an event type and a state key. */
public record StateKey(String type, String stateKey) implements Comparable<StateKey> {
    public StateKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    public static StateKey of(String type, String stateKey) {
        return new StateKey(type, stateKey);
    }

    // Written out rather than left to the record's generated methods, which go through method handles:
    // state resolution compares and hashes state keys millions of times. Same values as those.
    @Override
    public boolean equals(Object other) {
        return other instanceof StateKey key && key.type.equals(type) && key.stateKey.equals(stateKey);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + stateKey.hashCode();
    }

    @Override
    public int compareTo(StateKey other) {
        int byType = type.compareTo(other.type);
        return byType != 0 ? byType : stateKey.compareTo(other.stateKey);
    }
}
