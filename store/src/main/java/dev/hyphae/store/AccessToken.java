package dev.hyphae.store;

import java.util.Objects;

/**
 * An access token, known only by its hash.
 *
 * @param expiresTs        when the token stops being valid, or {@code null} if never
 * @param refreshTokenHash the hash of the refresh token issued with it, or {@code null}
 */
public record AccessToken(
        TokenHash tokenHash, String userId, String deviceId, long createdTs, Long expiresTs,
        TokenHash refreshTokenHash) {

    public AccessToken {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
    }

    public boolean isExpiredAt(long nowMs) {
        return expiresTs != null && nowMs >= expiresTs;
    }
}
