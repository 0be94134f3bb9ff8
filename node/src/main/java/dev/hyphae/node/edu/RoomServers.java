package dev.hyphae.node.edu;

import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who an EDU about a room concerns: the servers of its joined members (where typing, receipts and
 * presence go) and whether a user sent by a server is really that server's and in the room (what a
 * received EDU must show before it is believed).
 */
public final class RoomServers {
    private final RoomQueries queries;
    private final String ownServerName;

    public RoomServers(RoomQueries queries, String ownServerName) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.ownServerName = Objects.requireNonNull(ownServerName, "ownServerName");
    }

    /** The server names of the room's joined members, this node's own left out. */
    public Set<String> remoteServersOf(String roomId) {
        Set<String> servers = new TreeSet<>();
        for (Membership member : queries.members(roomId)) {
            if (member.membership().equals("join")) {
                serverOf(member.userId()).filter(server -> !server.equals(ownServerName)).ifPresent(servers::add);
            }
        }
        return servers;
    }

    /** The remote servers sharing at least one room with {@code userId}. */
    public Set<String> remoteServersSharingRoomsWith(String userId) {
        Set<String> servers = new TreeSet<>();
        for (String roomId : queries.joinedRooms(userId)) {
            servers.addAll(remoteServersOf(roomId));
        }
        return servers;
    }

    /** The local users joined to the room. */
    public Set<String> localMembersOf(String roomId) {
        Set<String> users = new TreeSet<>();
        for (Membership member : queries.members(roomId)) {
            if (member.membership().equals("join") && isLocal(member.userId())) {
                users.add(member.userId());
            }
        }
        return users;
    }

    /** Whether the user's current membership of the room is {@code join}. */
    public boolean isJoined(String roomId, String userId) {
        return queries.membership(roomId, userId).map("join"::equals).orElse(false);
    }

    /** Whether the two users are joined to at least one common room (a user always shares with themselves). */
    public boolean shareARoom(String userId, String otherUserId) {
        if (userId.equals(otherUserId)) {
            return true;
        }
        Set<String> rooms = new TreeSet<>(queries.joinedRooms(userId));
        for (String roomId : queries.joinedRooms(otherUserId)) {
            if (rooms.contains(roomId)) {
                return true;
            }
        }
        return false;
    }

    /** The local users joined to some room with {@code userId}, {@code userId} itself included when local. */
    public Set<String> localUsersSharingRoomsWith(String userId) {
        Set<String> users = new TreeSet<>();
        if (isLocal(userId)) {
            users.add(userId);
        }
        for (String roomId : queries.joinedRooms(userId)) {
            users.addAll(localMembersOf(roomId));
        }
        return users;
    }

    public boolean isLocal(String userId) {
        return serverOf(userId).map(ownServerName::equals).orElse(false);
    }

    public String ownServerName() {
        return ownServerName;
    }

    /**
     * Whether {@code userId} is a well-formed user ID of the server {@code origin}: a server may
     * only speak for its own users.
     */
    public static boolean belongsTo(String userId, String origin) {
        return origin != null && serverOf(userId).map(origin::equals).orElse(false);
    }

    private static Optional<String> serverOf(String userId) {
        if (userId == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UserId.parse(userId).serverName().toString());
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }
}
