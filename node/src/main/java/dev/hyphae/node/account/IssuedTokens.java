package dev.hyphae.node.account;

import dev.hyphae.node.identifier.UserId;
import java.util.Objects;

/**
 * The tokens handed to a client at login, registration or refresh. The only place the secrets
 * exist; the store keeps their hashes.
 *
 * @param refreshToken the refresh token, or {@code null} when the client did not ask for one
 * @param expiresInMs  the access token's lifetime, or {@code null} when it does not expire
 */
public record IssuedTokens(UserId userId, String deviceId, String accessToken, String refreshToken, Long expiresInMs) {
    public IssuedTokens {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(accessToken, "accessToken");
    }

    /** Leaves the secrets out, so that they do not end up in logs. */
    @Override
    public String toString() {
        return "IssuedTokens[userId=" + userId + ", deviceId=" + deviceId + ", refresh=" + (refreshToken != null)
                + ", expiresInMs=" + expiresInMs + "]";
    }
}
