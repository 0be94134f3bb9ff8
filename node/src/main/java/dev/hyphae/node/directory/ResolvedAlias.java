package dev.hyphae.node.directory;

import java.util.List;
import java.util.Objects;

/**
 * What a room alias resolves to: the room and servers that know it, to join through.
 *
 * @param servers server names in the room, the alias's own server first
 */
public record ResolvedAlias(String roomId, List<String> servers) {
    public ResolvedAlias {
        Objects.requireNonNull(roomId, "roomId");
        servers = List.copyOf(servers);
        if (!roomId.startsWith("!")) {
            throw new IllegalArgumentException("not a room ID: " + roomId);
        }
    }
}
