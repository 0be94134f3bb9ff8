package dev.hyphae.store;

import java.util.Objects;

/** Which state snapshots hold the room state before and after an event. */
public record EventStateGroups(String eventId, long stateBeforeGroup, long stateAfterGroup) {
    public EventStateGroups {
        Objects.requireNonNull(eventId, "eventId");
    }
}
