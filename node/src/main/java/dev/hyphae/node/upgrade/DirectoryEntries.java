package dev.hyphae.node.upgrade;

import dev.hyphae.node.directory.AliasDirectory;
import dev.hyphae.node.directory.PublicRoomList;
import java.util.List;
import java.util.Objects;

/**
 * What the room directory holds of an upgraded room: step 4 of the upgrade, "Moves any local
 * aliases to the new room", and its listing in the published room directory, which the
 * replacement takes over so that people browsing the directory find the room in use.
 */
public interface DirectoryEntries {
    /**
     * Points every local alias of {@code oldRoomId} at {@code newRoomId}.
     *
     * @return the aliases moved
     */
    List<String> moveAliases(String oldRoomId, String newRoomId);

    /**
     * Lists {@code newRoomId} instead of {@code oldRoomId} when the old room is listed.
     *
     * @return whether the old room was listed
     */
    boolean moveListing(String oldRoomId, String newRoomId);

    /** For a node without a room directory: there is nothing to move. */
    DirectoryEntries NONE = new DirectoryEntries() {
        @Override
        public List<String> moveAliases(String oldRoomId, String newRoomId) {
            return List.of();
        }

        @Override
        public boolean moveListing(String oldRoomId, String newRoomId) {
            return false;
        }
    };

    /** The node's alias directory and published room list. */
    static DirectoryEntries of(AliasDirectory aliases, PublicRoomList publicRooms) {
        Objects.requireNonNull(aliases, "aliases");
        Objects.requireNonNull(publicRooms, "publicRooms");
        return new DirectoryEntries() {
            @Override
            public List<String> moveAliases(String oldRoomId, String newRoomId) {
                return aliases.moveAll(oldRoomId, newRoomId);
            }

            @Override
            public boolean moveListing(String oldRoomId, String newRoomId) {
                return publicRooms.moveListing(oldRoomId, newRoomId);
            }
        };
    }
}
