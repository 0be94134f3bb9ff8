package dev.hyphae.node.upgrade;

/**
 * Step 4 of the upgrade, "Moves any local aliases to the new room": the node's alias directory,
 * where it has one.
 */
@FunctionalInterface
public interface LocalAliases {
    /** Points every local alias of {@code oldRoomId} at {@code newRoomId}. */
    void move(String oldRoomId, String newRoomId);

    /** For a node without a room alias directory: there is nothing to move. */
    LocalAliases NONE = (oldRoomId, newRoomId) -> {
    };
}
