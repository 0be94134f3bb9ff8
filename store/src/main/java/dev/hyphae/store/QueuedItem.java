package dev.hyphae.store;

import java.util.Objects;

/**
 * A PDU or EDU waiting to be delivered to a destination server.
 *
 * @param id       the queue position: items of a destination are delivered in ID order
 * @param json     the PDU or EDU as JSON text
 * @param queuedTs when the item was queued
 */
public record QueuedItem(long id, String destination, Kind kind, String json, long queuedTs) {
    /** Whether the item is a persistent (PDU) or ephemeral (EDU) data unit. */
    public enum Kind { PDU, EDU }

    public QueuedItem {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(json, "json");
    }
}
