package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.acl.ServerAclSource;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The room's current {@code m.room.server_acl}, from the state after this node's forward extremities. */
final class CurrentServerAcl implements ServerAclSource {
    private static final Logger LOG = LoggerFactory.getLogger(CurrentServerAcl.class);
    private static final StateKey SERVER_ACL = StateKey.of("m.room.server_acl", "");

    private final RoomEvents events;

    CurrentServerAcl(RoomEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public Optional<JsonNode> currentAclContent(String roomId) {
        Optional<RoomVersion> version = events.version(roomId);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        String aclId;
        try {
            aclId = events.currentState(roomId, version.get()).get(SERVER_ACL);
        } catch (IllegalStateException e) {
            // The receiving pipeline meets the same failure and refuses the event on its own.
            LOG.warn("cannot read the server ACL of {}: {}", roomId, e.getMessage());
            return Optional.empty();
        }
        return aclId == null ? Optional.empty() : events.pdu(aclId, version.get()).map(Pdu::content);
    }
}
