package dev.hyphae.node.relations;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.store.StoredRelation;
import dev.hyphae.store.WriteTransaction;

/**
 * Keeps the store's relations index: an event that relates to another is indexed when it becomes
 * part of the room's timeline, and dropped when it is redacted ("when a child event is redacted
 * then the relationship is broken").
 */
public final class RelationIndex {
    private RelationIndex() {
    }

    /** Indexes the relation of {@code pdu}, stored with {@code streamOrdering}, when it has one. */
    public static void index(WriteTransaction tx, Pdu pdu, long streamOrdering) {
        RelatesTo.of(pdu).ifPresent(relatesTo -> tx.relations().add(new StoredRelation(pdu.eventId(), pdu.roomId(),
                relatesTo.eventId(), relatesTo.relType(), pdu.type(), pdu.sender(), streamOrdering,
                pdu.originServerTs())));
    }

    /** Drops the relation of a redacted event. */
    public static void unindex(WriteTransaction tx, String eventId) {
        tx.relations().remove(eventId);
    }
}
