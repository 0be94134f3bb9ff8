package dev.hyphae.node.stateres;

import dev.hyphae.node.event.StateKey;
import java.util.Map;
import java.util.Objects;

/** The outcome of resolving a set of room states: the resolved state, or why it could not be resolved. */
public sealed interface StateResolution {

    /** The resolved state: (type, state key) to event ID. */
    record Resolved(Map<StateKey, String> state) implements StateResolution {
        public Resolved {
            state = Map.copyOf(state);
        }
    }

    /** Resolution was impossible, e.g. an event it needs is missing. */
    record Failed(String reason) implements StateResolution {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static StateResolution resolved(Map<StateKey, String> state) {
        return new Resolved(state);
    }

    static StateResolution failed(String reason) {
        return new Failed(reason);
    }
}
