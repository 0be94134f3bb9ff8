package dev.hyphae.store;

import java.util.Objects;

/**
 * One relationship between events ({@code content.m.relates_to}): the child event points at its
 * parent with a relationship type.
 *
 * @param eventId        the child event
 * @param parentId       the event the child relates to
 * @param relType        the relationship type ({@code m.thread}, {@code m.replace}, ...)
 * @param eventType      the child's event type
 * @param sender         the child's sender
 * @param streamOrdering the child's stream ordering
 * @param originServerTs the child's {@code origin_server_ts}
 */
public record StoredRelation(String eventId, String roomId, String parentId, String relType, String eventType,
        String sender, long streamOrdering, long originServerTs) {
    public StoredRelation {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(parentId, "parentId");
        Objects.requireNonNull(relType, "relType");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(sender, "sender");
        if (eventId.isBlank() || parentId.isBlank() || relType.isBlank()) {
            throw new IllegalArgumentException("a relation needs a child, a parent and a relationship type");
        }
        if (eventId.equals(parentId)) {
            throw new IllegalArgumentException("an event cannot relate to itself");
        }
    }
}
