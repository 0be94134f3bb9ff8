package dev.hyphae.store;

import java.util.Objects;

/**
 * A version of a user's server-side key backup.
 *
 * @param version      the version number, unique across the store and never reused
 * @param authDataJson the algorithm-dependent {@code auth_data} object as JSON text
 * @param etag         a counter that changes whenever the backup's keys change
 */
public record KeyBackupVersion(String userId, long version, String algorithm, String authDataJson, long etag) {
    public KeyBackupVersion {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(authDataJson, "authDataJson");
    }
}
