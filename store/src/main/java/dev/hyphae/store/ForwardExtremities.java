package dev.hyphae.store;

import java.util.Collection;
import java.util.Set;

/** The forward extremities of each room: its events that no other known event points back to. */
public interface ForwardExtremities {
    /** The room's forward extremities; empty for an unknown room. */
    Set<String> get(String roomId);

    interface Writer extends ForwardExtremities {
        /** Makes {@code eventIds} (stored events) the room's whole set of forward extremities. */
        void replace(String roomId, Set<String> eventIds);

        /**
         * Adds a new event that points back to {@code prevEventIds}: those stop being
         * extremities and {@code newEventId} becomes one.
         */
        void advance(String roomId, String newEventId, Collection<String> prevEventIds);
    }
}
