package dev.hyphae.store;

import java.util.Objects;

/** The pair {@code (event type, state key)} that names one entry of room state. */
public record StateTuple(String type, String stateKey) implements Comparable<StateTuple> {
    public StateTuple {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    @Override
    public int compareTo(StateTuple other) {
        int byType = type.compareTo(other.type);
        return byType != 0 ? byType : stateKey.compareTo(other.stateKey);
    }
}
