package dev.hyphae.node.e2ee;

import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identifier.UserId;

import java.util.Objects;

/** Tells users of this server from users of other servers. */
final class LocalUsers {
    private final ServerName localServer;

    LocalUsers(ServerName localServer) {
        this.localServer = Objects.requireNonNull(localServer, "localServer");
    }

    /** The server name of the user, refused with M_INVALID_PARAM when it is not a user ID. */
    static String serverOf(String userId) {
        try {
            return UserId.parse(userId).serverName().toString();
        } catch (InvalidIdentifierException e) {
            throw E2eeException.invalidParam("not a user ID: " + e.getMessage());
        }
    }

    boolean isLocal(String userId) {
        return serverOf(userId).equals(localServer.toString());
    }
}
