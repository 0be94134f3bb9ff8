package dev.hyphae.store;

import java.util.Objects;

/**
 * A room alias of this server and the room it points to.
 *
 * @param alias     the whole alias, {@code #localpart:server}
 * @param creator   the user who created the mapping (who may delete it again)
 * @param createdTs when it was created, in milliseconds since the epoch
 */
public record StoredRoomAlias(String alias, String roomId, String creator, long createdTs) {
    public StoredRoomAlias {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(creator, "creator");
        if (!alias.startsWith("#")) {
            throw new IllegalArgumentException("a room alias starts with '#': " + alias);
        }
    }
}
