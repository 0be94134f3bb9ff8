package dev.hyphae.node.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The TURN servers offered to clients for calls ("Voice over IP"), with the secret shared with
 * them for time-limited credentials (the TURN REST API convention of coturn's
 * {@code use-auth-secret}). No URIs means no TURN server: clients are told nothing.
 *
 * @param uris         {@code turn:} and {@code turns:} URIs
 * @param sharedSecret the secret the TURN server checks credentials with
 * @param ttl          how long credentials stay valid
 */
public record TurnSettings(List<String> uris, String sharedSecret, Duration ttl) {
    /** The credential lifetime when none is configured: one day, as is usual. */
    public static final Duration DEFAULT_TTL = Duration.ofDays(1);
    /** No TURN server. */
    public static final TurnSettings NONE = new TurnSettings(List.of(), "", DEFAULT_TTL);

    public TurnSettings {
        uris = List.copyOf(uris);
        Objects.requireNonNull(sharedSecret, "sharedSecret");
        Objects.requireNonNull(ttl, "ttl");
        for (String uri : uris) {
            if (!uri.startsWith("turn:") && !uri.startsWith("turns:")) {
                throw new IllegalArgumentException("a TURN URI starts with turn: or turns:, not " + uri);
            }
        }
        if (!uris.isEmpty() && sharedSecret.isEmpty()) {
            throw new IllegalArgumentException("TURN URIs need the shared secret of their server");
        }
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("the credential lifetime must be at least one second");
        }
    }

    public boolean configured() {
        return !uris.isEmpty();
    }
}
