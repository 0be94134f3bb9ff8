package dev.hyphae.store;

import java.util.Objects;

/**
 * A one-time or fallback key of a device.
 *
 * @param keyId   the full key ID, {@code <algorithm>:<key id>}
 * @param keyJson the key as uploaded: a JSON string or a signed JSON object
 */
public record OneTimeKey(String keyId, String keyJson) {
    public OneTimeKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keyJson, "keyJson");
        if (keyId.indexOf(':') <= 0 || keyId.endsWith(":")) {
            throw new IllegalArgumentException("a one-time key ID is <algorithm>:<key id>, got " + keyId);
        }
    }

    /** The algorithm part of the key ID. */
    public String algorithm() {
        return keyId.substring(0, keyId.indexOf(':'));
    }
}
