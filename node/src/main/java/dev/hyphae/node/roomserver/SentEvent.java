package dev.hyphae.node.roomserver;

import java.util.Objects;

/**
 * An event this server sent and committed.
 *
 * @param streamOrdering its position in the node's event stream
 * @param repeated       {@code true} when this answers a retransmitted client transaction: no new
 *                       event was made, this is the one the first request made
 */
public record SentEvent(String roomId, String eventId, long streamOrdering, boolean repeated) {
    public SentEvent {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(eventId, "eventId");
    }
}
