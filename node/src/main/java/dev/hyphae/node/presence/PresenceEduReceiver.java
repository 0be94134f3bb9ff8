package dev.hyphae.node.presence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@code m.presence} EDUs ({@code push}: a list of user presence updates) from other servers.
 * Each update is believed only when its user is the origin's own and joined to a room here; the
 * others in the same EDU still count.
 */
public final class PresenceEduReceiver implements EduReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceEduReceiver.class);

    private final PresenceService presence;
    private final RoomQueries queries;

    public PresenceEduReceiver(PresenceService presence, RoomQueries queries) {
        this.presence = Objects.requireNonNull(presence, "presence");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public void receive(String origin, JsonNode content) {
        JsonNode push = content == null ? null : content.get("push");
        if (push == null || !push.isArray()) {
            LOG.info("Dropped a malformed m.presence EDU from {}", origin);
            return;
        }
        for (JsonNode update : push) {
            receiveOne(origin, update);
        }
    }

    private void receiveOne(String origin, JsonNode update) {
        JsonNode userId = update.path("user_id");
        JsonNode state = update.path("presence");
        JsonNode lastActiveAgo = update.path("last_active_ago");
        JsonNode statusMsg = update.path("status_msg");
        JsonNode currentlyActive = update.path("currently_active");
        boolean wellFormed = userId.isTextual() && state.isTextual() && PresenceState.STATES.contains(state.textValue())
                && lastActiveAgo.isIntegralNumber() && lastActiveAgo.canConvertToLong() && lastActiveAgo.asLong() >= 0
                && (statusMsg.isMissingNode() || statusMsg.isNull() || statusMsg.isTextual())
                && (currentlyActive.isMissingNode() || currentlyActive.isBoolean());
        if (!wellFormed) {
            LOG.info("Dropped a malformed presence update from {}", origin);
            return;
        }
        if (!RoomServers.belongsTo(userId.textValue(), origin)) {
            LOG.info("Dropped a presence update from {} for {}, a user of another server", origin, userId.textValue());
            return;
        }
        if (queries.joinedRooms(userId.textValue()).isEmpty()) {
            LOG.info("Dropped a presence update from {}: {} shares no room with this node", origin, userId.textValue());
            return;
        }
        String message = statusMsg.isTextual() ? statusMsg.textValue() : null;
        if (message != null && message.length() > PresenceService.MAX_STATUS_MSG_CHARS) {
            message = message.substring(0, PresenceService.MAX_STATUS_MSG_CHARS);
        }
        presence.receiveRemote(userId.textValue(), state.textValue(), Optional.ofNullable(message),
                lastActiveAgo.asLong(), currentlyActive.asBoolean(false));
    }
}
