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

    @Override
    public int compareTo(StateKey other) {
        int byType = type.compareTo(other.type);
        return byType != 0 ? byType : stateKey.compareTo(other.stateKey);
    }
}
