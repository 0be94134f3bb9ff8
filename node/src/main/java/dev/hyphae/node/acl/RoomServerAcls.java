package dev.hyphae.node.acl;

import dev.hyphae.node.http.MatrixException;
import java.util.Objects;
import java.util.Optional;

/**
 * The gate of the server-server API ("Server Access Control Lists"): before a server is answered
 * on a room, or its PDUs and room EDUs are taken, the room's current ACL must allow it. A room
 * without an ACL, or one this node does not know, allows every server.
 */
public final class RoomServerAcls {
    /** For a node that enforces no ACLs, as in tests of other concerns. */
    public static final RoomServerAcls NONE = new RoomServerAcls(roomId -> Optional.empty());

    private final ServerAclSource source;

    public RoomServerAcls(ServerAclSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Whether the room's current ACL allows {@code serverName}. */
    public boolean allows(String serverName, String roomId) {
        Objects.requireNonNull(serverName, "serverName");
        if (roomId == null || roomId.isEmpty()) {
            return true; // no room: nothing an ACL governs
        }
        return source.currentAclContent(roomId).map(ServerAcl::fromContent).map(acl -> acl.allows(serverName))
                .orElse(true);
    }

    /**
     * @throws MatrixException 403 {@code M_FORBIDDEN} when the room's ACL denies {@code origin}
     */
    public void requireAllowed(String origin, String roomId) {
        if (!allows(origin, roomId)) {
            throw MatrixException.forbidden("server " + origin + " is denied access to room " + roomId
                    + " by its server ACL");
        }
    }
}
