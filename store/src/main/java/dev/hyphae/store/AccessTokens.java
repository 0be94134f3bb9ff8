package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** The access tokens table, keyed by token hash. */
public interface AccessTokens {
    Optional<AccessToken> byTokenHash(TokenHash tokenHash);

    Optional<AccessToken> byRefreshTokenHash(TokenHash refreshTokenHash);

    List<AccessToken> forDevice(String userId, String deviceId);

    interface Writer extends AccessTokens {
        /**
         * Stores the token; returns {@code false} and changes nothing when the hash exists.
         *
         * @throws StoreException when the device does not exist
         */
        boolean insert(AccessToken token);

        boolean delete(TokenHash tokenHash);

        int deleteForDevice(String userId, String deviceId);

        int deleteForUser(String userId);
    }
}
