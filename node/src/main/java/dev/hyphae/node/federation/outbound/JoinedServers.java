package dev.hyphae.node.federation.outbound;

import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Membership;
import dev.hyphae.store.ReadTransaction;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The servers with joined members in rooms, from the store's current memberships. */
public final class JoinedServers {
    private JoinedServers() {
    }

    /** The servers of the room's joined members, in name order. */
    public static Set<String> inRoom(ReadTransaction tx, String roomId) {
        Set<String> servers = new TreeSet<>();
        for (Membership member : tx.memberships().inRoom(roomId)) {
            if ("join".equals(member.membership())) {
                serverOf(member.userId()).ifPresent(servers::add);
            }
        }
        return servers;
    }

    /** The servers with a joined member in any room {@code userId} is joined to, in name order. */
    public static Set<String> sharingRoomWith(ReadTransaction tx, String userId) {
        Set<String> servers = new TreeSet<>();
        for (Membership mine : tx.memberships().forUser(userId)) {
            if ("join".equals(mine.membership())) {
                servers.addAll(inRoom(tx, mine.roomId()));
            }
        }
        return servers;
    }

    /** The server name of a user ID, or empty when it is not one. */
    public static Optional<String> serverOf(String userId) {
        try {
            return Optional.of(UserId.parse(userId).serverName().toString());
        } catch (InvalidIdentifierException e) {
            return Optional.empty();
        }
    }
}
