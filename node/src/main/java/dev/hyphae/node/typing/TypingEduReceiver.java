package dev.hyphae.node.typing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.federation.EduReceiver;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@code m.typing} EDUs ({@code room_id}, {@code user_id}, {@code typing}) from other servers.
 * Believed only when the user is the origin's own and joined to the room here.
 */
public final class TypingEduReceiver implements EduReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(TypingEduReceiver.class);

    private final TypingService typing;
    private final RoomServers rooms;

    public TypingEduReceiver(TypingService typing, RoomServers rooms) {
        this.typing = Objects.requireNonNull(typing, "typing");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    @Override
    public void receive(String origin, JsonNode content) {
        JsonNode roomId = content == null ? null : content.get("room_id");
        JsonNode userId = content == null ? null : content.get("user_id");
        JsonNode isTyping = content == null ? null : content.get("typing");
        if (roomId == null || !roomId.isTextual() || userId == null || !userId.isTextual()
                || isTyping == null || !isTyping.isBoolean()) {
            LOG.info("Dropped a malformed m.typing EDU from {}", origin);
            return;
        }
        if (!RoomServers.belongsTo(userId.textValue(), origin)) {
            LOG.info("Dropped an m.typing EDU from {} about {}, a user of another server", origin, userId.textValue());
            return;
        }
        if (!rooms.isJoined(roomId.textValue(), userId.textValue())) {
            LOG.info("Dropped an m.typing EDU from {}: {} is not joined to {}", origin, userId.textValue(),
                    roomId.textValue());
            return;
        }
        typing.setRemote(roomId.textValue(), userId.textValue(), isTyping.booleanValue());
    }
}
