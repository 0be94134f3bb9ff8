package dev.hyphae.node.dag;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The forward extremities of a room: the events that no known event yet names in its
 * {@code prev_events} (the events a new event should point at). Immutable.
 */
public final class ForwardExtremities {
    private final Set<String> eventIds;

    private ForwardExtremities(Set<String> eventIds) {
        this.eventIds = Collections.unmodifiableSet(eventIds);
    }

    public static ForwardExtremities empty() {
        return new ForwardExtremities(new HashSet<>());
    }

    public static ForwardExtremities of(Collection<String> eventIds) {
        Set<String> copy = new HashSet<>();
        for (String id : eventIds) {
            copy.add(Objects.requireNonNull(id, "event id"));
        }
        return new ForwardExtremities(copy);
    }

    public Set<String> eventIds() {
        return eventIds;
    }

    /**
     * The extremities after an accepted event is added to the DAG: its prev events stop being
     * extremities, and it becomes one unless a known event already names it as a prev event (an
     * older event that arrived late, e.g. by backfill).
     *
     * <p>Rejected events must not be added: they are never used as prev events.
     */
    public ForwardExtremities withEvent(String eventId, Collection<String> prevEventIds, boolean hasKnownChild) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(prevEventIds, "prevEventIds");
        Set<String> next = new HashSet<>(eventIds);
        next.removeAll(prevEventIds);
        if (!hasKnownChild) {
            next.add(eventId);
        }
        return new ForwardExtremities(next);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ForwardExtremities that && that.eventIds.equals(eventIds);
    }

    @Override
    public int hashCode() {
        return eventIds.hashCode();
    }

    @Override
    public String toString() {
        return "ForwardExtremities" + eventIds;
    }
}
