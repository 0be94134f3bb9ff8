package dev.hyphae.node.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Where the gate reads a room's ACL: the content of its current {@code m.room.server_acl} event. */
@FunctionalInterface
public interface ServerAclSource {
    /** The content of the room's current server ACL; empty when the room has none or is not known here. */
    Optional<JsonNode> currentAclContent(String roomId);
}
