package dev.hyphae.store;

import java.util.Objects;

/**
 * A device's fallback key for one algorithm.
 *
 * @param used whether the key has been handed out by a claim since it was uploaded
 */
public record FallbackKey(OneTimeKey key, boolean used) {
    public FallbackKey {
        Objects.requireNonNull(key, "key");
    }
}
