package dev.hyphae.node.dag;

import dev.hyphae.node.event.Pdu;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the {@code prev_events} of a new local event from the room's forward extremities: the
 * newest ones (greatest depth, then latest {@code origin_server_ts}, then event ID for a stable
 * choice), at most {@link #DEFAULT_LIMIT}, so an event stays small even when the DAG is wide. The
 * remaining extremities are merged by later events.
 */
public final class PrevEventsSelection {
    /** The most prev events a new event names (Synapse uses the same bound). */
    public static final int DEFAULT_LIMIT = 10;

    private static final Comparator<Pdu> NEWEST_FIRST = Comparator.comparingLong(Pdu::depth).reversed()
            .thenComparing(Comparator.comparingLong(Pdu::originServerTs).reversed())
            .thenComparing(Pdu::eventId);

    private final int limit;

    public PrevEventsSelection() {
        this(DEFAULT_LIMIT);
    }

    public PrevEventsSelection(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    /** The event IDs to use as {@code prev_events}, newest first. */
    public List<String> select(Collection<Pdu> forwardExtremities) {
        List<Pdu> sorted = new ArrayList<>(forwardExtremities);
        sorted.sort(NEWEST_FIRST);
        List<String> ids = new ArrayList<>(Math.min(limit, sorted.size()));
        for (Pdu pdu : sorted.subList(0, Math.min(limit, sorted.size()))) {
            ids.add(pdu.eventId());
        }
        return List.copyOf(ids);
    }
}
