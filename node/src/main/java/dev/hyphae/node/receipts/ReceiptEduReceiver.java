package dev.hyphae.node.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.federation.EduReceiver;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@code m.receipt} EDUs from other servers: room ID to {@code m.read} to user ID to
 * {@code event_ids} and {@code data}. Each receipt is believed only when its user is the origin's
 * own and joined to the room here; the others in the same EDU still count. Other receipt types
 * ({@code m.read.private} must never travel) are ignored.
 */
public final class ReceiptEduReceiver implements EduReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptEduReceiver.class);

    private final ReceiptService receipts;
    private final RoomServers rooms;

    public ReceiptEduReceiver(ReceiptService receipts, RoomServers rooms) {
        this.receipts = Objects.requireNonNull(receipts, "receipts");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    @Override
    public void receive(String origin, JsonNode content) {
        if (content == null || !content.isObject()) {
            LOG.info("Dropped a malformed m.receipt EDU from {}", origin);
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> roomEntries = content.fields();
        while (roomEntries.hasNext()) {
            Map.Entry<String, JsonNode> room = roomEntries.next();
            JsonNode read = room.getValue().path(ReceiptService.READ);
            if (!read.isObject()) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> users = read.fields();
            while (users.hasNext()) {
                Map.Entry<String, JsonNode> user = users.next();
                receiveOne(origin, room.getKey(), user.getKey(), user.getValue());
            }
        }
    }

    private void receiveOne(String origin, String roomId, String userId, JsonNode receipt) {
        if (!RoomServers.belongsTo(userId, origin)) {
            LOG.info("Dropped a receipt from {} for {}, a user of another server", origin, userId);
            return;
        }
        JsonNode eventIds = receipt.path("event_ids");
        JsonNode data = receipt.path("data");
        JsonNode ts = data.path("ts");
        JsonNode threadId = data.path("thread_id");
        boolean wellFormed = eventIds.isArray() && eventIds.size() >= 1 && eventIds.get(0).isTextual()
                && ts.isIntegralNumber() && ts.canConvertToLong()
                && (threadId.isMissingNode() || (threadId.isTextual() && !threadId.textValue().isEmpty()));
        if (!wellFormed) {
            LOG.info("Dropped a malformed receipt from {} for {} in {}", origin, userId, roomId);
            return;
        }
        if (!rooms.isJoined(roomId, userId)) {
            LOG.info("Dropped a receipt from {}: {} is not joined to {}", origin, userId, roomId);
            return;
        }
        receipts.receiveRemote(roomId, userId, eventIds.get(0).textValue(), ts.asLong(),
                threadId.isTextual() ? threadId.textValue() : null);
    }
}
