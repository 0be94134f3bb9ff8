package dev.hyphae.node.client;

import java.util.Objects;

/**
 * How the client endpoints behave.
 *
 * @param baseUrl          the homeserver URL clients should use, as told by
 *                         {@code /.well-known/matrix/client}
 * @param openRegistration whether anyone who reaches the API may register (with
 *                         {@code m.login.dummy}); off by default, so that only holders of a
 *                         registration token or the node's owner (through the command line) create
 *                         accounts
 */
public record ClientSettings(String baseUrl, boolean openRegistration) {
    public ClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
    }
}
