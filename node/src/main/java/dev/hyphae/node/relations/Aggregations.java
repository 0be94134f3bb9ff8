package dev.hyphae.node.relations;

import dev.hyphae.node.event.Pdu;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server adds under {@code unsigned} when it serves an event to a client: the redaction
 * that redacted it ({@code redacted_because}) and its bundled aggregations ({@code m.relations}).
 *
 * @param redactedBecause the applied {@code m.room.redaction} of the event
 * @param thread          the {@code m.thread} aggregation, for a thread root
 * @param replacement     the most recent valid {@code m.replace} edit (never for a redacted event)
 * @param references      the IDs of the events that {@code m.reference} it, oldest first
 */
public record Aggregations(Optional<Pdu> redactedBecause, Optional<ThreadSummary> thread, Optional<Pdu> replacement,
        List<String> references) {
    public static final Aggregations NONE = new Aggregations(Optional.empty(), Optional.empty(), Optional.empty(),
            List.of());

    public Aggregations {
        Objects.requireNonNull(redactedBecause, "redactedBecause");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(replacement, "replacement");
        references = List.copyOf(references);
    }

    /** Whether there is anything under {@code m.relations}. */
    public boolean hasRelations() {
        return thread.isPresent() || replacement.isPresent() || !references.isEmpty();
    }

    /**
     * The {@code m.thread} aggregation of a thread root.
     *
     * @param latestEvent              the most recent event of the thread
     * @param latestEventAggregations  the latest event's own aggregations (its edit, references)
     * @param count                    how many events relate to the root with {@code m.thread}
     * @param currentUserParticipated  whether the user sent the root or an event of the thread
     */
    public record ThreadSummary(Pdu latestEvent, Aggregations latestEventAggregations, long count,
            boolean currentUserParticipated) {
        public ThreadSummary {
            Objects.requireNonNull(latestEvent, "latestEvent");
            Objects.requireNonNull(latestEventAggregations, "latestEventAggregations");
        }
    }
}
