package dev.hyphae.node.signing;

import java.util.Objects;

/**
 * A server's published verification key and the time until which it may be trusted: its
 * {@code valid_until_ts}, or the {@code expired_ts} of an old key (milliseconds since the epoch).
 */
public record ServerVerifyKey(VerifyKey key, long validUntilTs) {
    public ServerVerifyKey {
        Objects.requireNonNull(key, "key");
    }
}
