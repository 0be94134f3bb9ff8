package dev.hyphae.store;

import java.util.List;
import java.util.Objects;

/**
 * An event to store: its JSON text plus the columns the store indexes. The store does not parse
 * the JSON; the caller guarantees the columns agree with it.
 *
 * @param stateKey        the state key, or {@code null} for a non-state event
 * @param outlier         {@code true} when the event is not part of this node's view of the room
 *                        DAG (for example an auth event fetched on its own); outliers never appear
 *                        in timelines
 * @param rejectionReason why the event was rejected by the auth rules, or {@code null}
 * @param prevEventIds    the event's {@code prev_events}, stored as DAG edges
 * @param authEventIds    the event's {@code auth_events}, stored as auth chain edges
 */
public record NewEvent(
        String eventId,
        String roomId,
        String type,
        String stateKey,
        String sender,
        long depth,
        long originServerTs,
        String json,
        boolean outlier,
        String rejectionReason,
        List<String> prevEventIds,
        List<String> authEventIds) {

    public NewEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(prevEventIds, "prevEventIds");
        Objects.requireNonNull(authEventIds, "authEventIds");
        if (eventId.isBlank() || roomId.isBlank() || json.isBlank()) {
            throw new IllegalArgumentException("event id, room id and json must not be blank");
        }
        if (rejectionReason != null && rejectionReason.isBlank()) {
            throw new IllegalArgumentException("a rejection reason must say why");
        }
        prevEventIds = List.copyOf(prevEventIds);
        authEventIds = List.copyOf(authEventIds);
    }

    public boolean isState() {
        return stateKey != null;
    }
}
