package dev.hyphae.store;

import java.util.Objects;

/**
 * A user's receipt in a room: up to which event they have read, for one receipt type and thread.
 *
 * @param receiptType    {@code m.read} or {@code m.read.private}
 * @param threadId       the thread root's event ID or {@code main}; {@code null} for an unthreaded receipt
 * @param ts             when the user read the event, milliseconds since the epoch
 * @param streamPosition the receipts stream position of the last change of this receipt
 */
public record StoredReceipt(String roomId, String receiptType, String userId, String threadId, String eventId,
        long ts, long streamPosition) {
    public StoredReceipt {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(receiptType, "receiptType");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(eventId, "eventId");
        if (threadId != null && threadId.isEmpty()) {
            throw new IllegalArgumentException("a thread ID must not be empty; use null for an unthreaded receipt");
        }
    }
}
