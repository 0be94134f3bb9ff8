package dev.hyphae.node.roomserver;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.store.WriteTransaction;

/**
 * Queues each new local event for the other servers of its room, inside the write unit that stores
 * it: an event acknowledged to a client is then never lost before it is delivered. Events received
 * from other servers do not pass through here.
 */
@FunctionalInterface
public interface RoomEventOutbox {
    /**
     * Called after the event, its state and the membership it sets are written to {@code tx}, so
     * reads through {@code tx} see the room as it is after the event. Must do store work only.
     */
    void queue(WriteTransaction tx, Pdu event);

    /** The outbox of a node that does not federate: costs nothing. */
    RoomEventOutbox NONE = (tx, event) -> { };
}
