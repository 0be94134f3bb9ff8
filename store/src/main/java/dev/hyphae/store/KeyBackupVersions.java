package dev.hyphae.store;

import java.util.Optional;

/** The versions of each user's server-side key backup. Deleted versions are never reused. */
public interface KeyBackupVersions {
    /** The user's most recently created version that is not deleted. */
    Optional<KeyBackupVersion> latest(String userId);

    /** The user's version, or empty when it does not exist, is another user's, or was deleted. */
    Optional<KeyBackupVersion> get(String userId, long version);

    interface Writer extends KeyBackupVersions {
        /** Creates a new version with etag 0 and returns its number, greater than every earlier one. */
        long create(String userId, String algorithm, String authDataJson);

        /** Replaces the version's {@code auth_data}; returns {@code false} when it does not exist. */
        boolean updateAuthData(String userId, long version, String authDataJson);

        /** Increments the version's etag and returns the new value. */
        long bumpEtag(String userId, long version);

        /** Marks the version deleted and deletes its keys; returns {@code false} when it does not exist. */
        boolean delete(String userId, long version);
    }
}
