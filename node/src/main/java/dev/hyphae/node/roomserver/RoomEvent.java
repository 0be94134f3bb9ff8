package dev.hyphae.node.roomserver;

import dev.hyphae.node.event.Pdu;
import java.util.Objects;

/**
 * A stored event of a room with its stream position.
 *
 * @param rejectionReason why the auth rules rejected the event, or {@code null} (only events
 *                        received over federation can be rejected and stored)
 * @param outlier         {@code true} for an event that is not part of this node's room timeline
 */
public record RoomEvent(Pdu pdu, long streamOrdering, boolean outlier, String rejectionReason) {
    public RoomEvent {
        Objects.requireNonNull(pdu, "pdu");
    }

    public String eventId() {
        return pdu.eventId();
    }
}
