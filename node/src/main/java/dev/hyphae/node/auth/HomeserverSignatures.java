package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;

/**
 * Whether an event is validly signed by a given homeserver. The auth rules need this for
 * {@code join_authorised_via_users_server} (rooms v8+): "If the event is not validly signed by the
 * homeserver of the user ID denoted by the key, reject." Key lookup and signature verification live
 * outside the auth rules, so the check is injected.
 */
@FunctionalInterface
public interface HomeserverSignatures {

    /** True when {@code event} carries a valid signature from a signing key of {@code serverName}. */
    boolean isValidlySignedBy(Pdu event, String serverName);

    /**
     * For events whose signatures were already verified and whose auth already passed once (events
     * read back from the store, as in state resolution): a signature entry from the server counts as
     * valid. Never use it for events that have not been verified.
     */
    static HomeserverSignatures verifiedBefore() {
        return (event, serverName) -> {
            JsonNode byServer = event.json().path("signatures").path(serverName);
            return byServer.isObject() && byServer.size() > 0;
        };
    }
}
