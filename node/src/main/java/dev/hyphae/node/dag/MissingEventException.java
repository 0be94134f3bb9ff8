package dev.hyphae.node.dag;

import java.util.Objects;

/** An event needed to walk the room DAG is not known locally. */
public final class MissingEventException extends RuntimeException {
    private final String eventId;

    public MissingEventException(String eventId) {
        super("missing event " + eventId);
        this.eventId = Objects.requireNonNull(eventId, "eventId");
    }

    public String eventId() {
        return eventId;
    }
}
