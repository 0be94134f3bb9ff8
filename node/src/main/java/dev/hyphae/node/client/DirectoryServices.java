package dev.hyphae.node.client;

import dev.hyphae.node.directory.AliasDirectory;
import dev.hyphae.node.directory.PublicRoomList;
import dev.hyphae.node.directory.RemoteDirectory;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Store;
import java.time.Clock;
import java.util.Objects;

/**
 * What the directory, tag, forget, report and VoIP endpoint groups call, beside {@link RoomServices}.
 *
 * @param turn the TURN servers offered for calls, {@link TurnSettings#NONE} for none
 */
public record DirectoryServices(AliasDirectory aliases, PublicRoomList publicRooms, Store store, TurnSettings turn,
        Clock clock) {
    public DirectoryServices {
        Objects.requireNonNull(aliases, "aliases");
        Objects.requireNonNull(publicRooms, "publicRooms");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * The services of a node named {@code serverName}; {@code remote} reaches other servers'
     * directories ({@code new FederationDirectory(client, timeout)}, or {@link RemoteDirectory#NONE}).
     */
    public static DirectoryServices of(Store store, RoomQueries queries, String serverName, RemoteDirectory remote,
            TurnSettings turn, Clock clock) {
        AliasDirectory aliases = new AliasDirectory(store, queries, serverName, remote, clock);
        return new DirectoryServices(aliases, new PublicRoomList(store, queries, aliases, remote, clock), store, turn,
                clock);
    }
}
