package dev.hyphae.store;

import java.util.Objects;

/**
 * A local user account.
 *
 * @param passwordHash the password hash in its self-describing encoded form, or {@code null} for an
 *                     account that cannot log in with a password
 */
public record Account(String userId, String passwordHash, long createdTs, boolean deactivated, boolean admin) {
    public Account {
        Objects.requireNonNull(userId, "userId");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("user id must not be blank");
        }
    }

    /** Leaves the password hash out, so that it does not end up in logs. */
    @Override
    public String toString() {
        return "Account[userId=" + userId + ", createdTs=" + createdTs + ", deactivated=" + deactivated
                + ", admin=" + admin + "]";
    }
}
