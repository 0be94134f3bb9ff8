package dev.hyphae.node.unread;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.receipts.ReceiptService;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.sync.StreamProvider;
import dev.hyphae.node.sync.SyncRequest;
import dev.hyphae.node.sync.SyncResponse;
import dev.hyphae.store.NotificationCounts;
import dev.hyphae.store.StoredReceipt;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code unread_notifications} (and, when the filter's timeline asks,
 * {@code unread_thread_notifications}) of joined rooms in /sync. Counts change with new events
 * (the room already appears in the response then) and with the user's own receipts, so this stream
 * follows the receipts stream: it adds the counts to every joined room the response holds and to
 * every room where the user's receipts moved. It must come after the streams that add rooms.
 */
public final class UnreadNotificationsStreamProvider implements StreamProvider {
    private final NotificationCounter counter;
    private final ReceiptService receipts;
    private final RoomQueries queries;

    public UnreadNotificationsStreamProvider(NotificationCounter counter, ReceiptService receipts, RoomQueries queries) {
        this.counter = Objects.requireNonNull(counter, "counter");
        this.receipts = Objects.requireNonNull(receipts, "receipts");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public long latestPosition() {
        return receipts.currentPosition();
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        String userId = request.userId();
        Set<String> rooms = new LinkedHashSet<>(response.joinedRoomIds());
        if (from > 0 && from < to) {
            Set<String> joined = new TreeSet<>(queries.joinedRooms(userId));
            for (StoredReceipt receipt : receipts.changedBetween(from, to)) {
                if (receipt.userId().equals(userId) && joined.contains(receipt.roomId())
                        && request.filter().room().includesRoom(receipt.roomId())) {
                    rooms.add(receipt.roomId());
                }
            }
        }
        boolean byThread = request.filter().room().timeline().unreadThreadNotifications();
        // One read for the counts of every room.
        Map<String, Map<String, NotificationCounts.Count>> stored = counter.counts(userId, rooms);
        for (String roomId : rooms) {
            UnreadCounts counts = UnreadCounts.of(stored.get(roomId), byThread);
            ObjectNode entry = response.joinedRoom(roomId);
            entry.set("unread_notifications", UnreadCounts.toJson(counts.main()));
            if (byThread) {
                ObjectNode threads = entry.putObject("unread_thread_notifications");
                for (Map.Entry<String, NotificationCounts.Count> thread : counts.threads().entrySet()) {
                    threads.set(thread.getKey(), UnreadCounts.toJson(thread.getValue()));
                }
            }
        }
        return to;
    }
}
