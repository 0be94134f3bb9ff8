package dev.hyphae.node.client;

import dev.hyphae.node.http.MatrixRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client endpoints behave.
 *
 * @param baseUrl          the homeserver URL clients should use, as told by
 *                         {@code /.well-known/matrix/client} and at login; when empty, it is
 *                         {@code http://} and the request's {@code Host} header, which is what the
 *                         client itself used
 * @param openRegistration whether anyone who reaches the API may register (with
 *                         {@code m.login.dummy}); off by default, so that only holders of a
 *                         registration token or the node's owner (through the command line) create
 *                         accounts
 */
public record ClientSettings(Optional<String> baseUrl, boolean openRegistration) {
    public ClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** Registration closed, base URL from each client's Host header. */
    public static ClientSettings defaults() {
        return new ClientSettings(Optional.empty(), false);
    }

    /** The base URL for a client that sent this request; empty without a configured URL or Host header. */
    Optional<String> baseUrlFor(MatrixRequest request) {
        if (baseUrl.isPresent()) {
            return baseUrl;
        }
        return request.header("host").filter(host -> !host.isBlank() && host.matches("[A-Za-z0-9.:\\[\\]-]+"))
                .map(host -> "http://" + host);
    }
}
