package dev.hyphae.store;

/** The outcome of inserting an event: either it was new, or an event with that ID was stored. */
public sealed interface EventInsertion {

    /** The stream ordering of the event stored under the ID (the new one or the existing one). */
    long streamOrdering();

    /** The event was stored. */
    record Inserted(long streamOrdering) implements EventInsertion {
    }

    /** An event with the same ID was already stored; it was left unchanged. */
    record Duplicate(StoredEvent existing) implements EventInsertion {
        @Override
        public long streamOrdering() {
            return existing.streamOrdering();
        }
    }
}
