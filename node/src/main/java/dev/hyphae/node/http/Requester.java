package dev.hyphae.node.http;

import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.TokenHash;
import java.util.Objects;

/**
 * Who made an authenticated request: the user and device that the access token belongs to.
 *
 * @param accessTokenHash the hash of the token the request carried, so that logout can revoke it
 */
public record Requester(UserId userId, String deviceId, TokenHash accessTokenHash) {
    public Requester {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(accessTokenHash, "accessTokenHash");
    }
}
