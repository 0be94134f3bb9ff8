package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/**
 * Read receipts of local and remote users, one per (room, receipt type, user, thread). Every change
 * takes the next position of the receipts stream, so /sync can ask what changed between two positions.
 */
public interface Receipts {
    /** The receipt of one user, type and thread ({@code null} thread: unthreaded). */
    Optional<StoredReceipt> get(String roomId, String receiptType, String userId, String threadId);

    /** Every receipt of the room, in stream order. */
    List<StoredReceipt> inRoom(String roomId);

    /** Every receipt of one user in the room, whatever its type and thread. */
    List<StoredReceipt> ofUser(String roomId, String userId);

    /** Receipts changed after {@code afterPosition} up to and including {@code upToPosition}, in stream order. */
    List<StoredReceipt> changedBetween(long afterPosition, long upToPosition);

    /** The newest position of the receipts stream; 0 before the first receipt. */
    long currentPosition();

    interface Writer extends Receipts {
        /**
         * Sets the receipt of one user, type and thread to the event, replacing the previous one.
         *
         * @return the stream position of this change
         */
        long put(String roomId, String receiptType, String userId, String threadId, String eventId, long ts);
    }
}
