package dev.hyphae.node.receipts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.filter.Filter;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.sync.StreamProvider;
import dev.hyphae.node.sync.SyncRequest;
import dev.hyphae.node.sync.SyncResponse;
import dev.hyphae.store.StoredReceipt;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The receipts stream of /sync: one {@code m.receipt} event per joined room in its ephemeral
 * section, with every receipt on an initial sync and the changed ones after. A private receipt
 * reaches only its owner.
 */
public final class ReceiptsStreamProvider implements StreamProvider {
    private final ReceiptService receipts;
    private final RoomQueries queries;

    public ReceiptsStreamProvider(ReceiptService receipts, RoomQueries queries) {
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
        Filter filter = request.filter();
        Set<String> joined = new TreeSet<>(queries.joinedRooms(userId));
        Map<String, ObjectNode> byRoom = new LinkedHashMap<>();
        if (from == 0) {
            for (String roomId : joined) {
                for (StoredReceipt receipt : receipts.inRoom(roomId)) {
                    if (receipt.streamPosition() <= to) {
                        add(byRoom, receipt, userId);
                    }
                }
            }
        } else {
            for (StoredReceipt receipt : receipts.changedBetween(from, to)) {
                if (joined.contains(receipt.roomId())) {
                    add(byRoom, receipt, userId);
                }
            }
        }
        for (Map.Entry<String, ObjectNode> room : byRoom.entrySet()) {
            String roomId = room.getKey();
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("type", ReceiptService.EDU_TYPE);
            event.set("content", room.getValue());
            if (filter.room().includesRoom(roomId) && filter.room().ephemeral().matches(event, roomId)) {
                response.addEphemeral(roomId, event);
            }
        }
        return to;
    }

    /** Adds the receipt to its room's content: event ID, then receipt type, then user. */
    private static void add(Map<String, ObjectNode> byRoom, StoredReceipt receipt, String syncingUser) {
        if (receipt.receiptType().equals(ReceiptService.READ_PRIVATE) && !receipt.userId().equals(syncingUser)) {
            return;
        }
        ObjectNode content = byRoom.computeIfAbsent(receipt.roomId(), id -> JsonNodeFactory.instance.objectNode());
        ObjectNode byEvent = content.has(receipt.eventId()) ? (ObjectNode) content.get(receipt.eventId())
                : content.putObject(receipt.eventId());
        ObjectNode byType = byEvent.has(receipt.receiptType()) ? (ObjectNode) byEvent.get(receipt.receiptType())
                : byEvent.putObject(receipt.receiptType());
        ObjectNode entry = byType.putObject(receipt.userId());
        entry.put("ts", receipt.ts());
        if (receipt.threadId() != null) {
            entry.put("thread_id", receipt.threadId());
        }
    }
}
