package dev.hyphae.node.auth;

import dev.hyphae.node.event.Pdu;

/**
 * Whether an event is validly signed by a given homeserver. The auth rules need this for
 * {@code join_authorised_via_users_server} (rooms v8+): "If the event is not validly signed by the
 * homeserver of the user ID denoted by the key, reject." Key lookup lives outside the auth rules,
 * so the check is injected.
 */
@FunctionalInterface
public interface HomeserverSignatures {

    /** True when {@code event} carries a valid signature from a signing key of {@code serverName}. */
    boolean isValidlySignedBy(Pdu event, String serverName);
}
