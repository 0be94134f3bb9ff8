package dev.hyphae.node.account;

import java.time.Duration;
import java.util.Objects;

/**
 * How accounts and tokens behave.
 *
 * @param refreshingAccessTokenLifetime how long an access token issued with a refresh token lives;
 *                                      tokens of clients that do not ask for refresh tokens never
 *                                      expire, as the spec allows, so that such clients keep working
 * @param uiaSessionLifetime            how long a user-interactive auth session may stay unfinished
 */
public record AccountSettings(Duration refreshingAccessTokenLifetime, Duration uiaSessionLifetime) {
    public AccountSettings {
        Objects.requireNonNull(refreshingAccessTokenLifetime, "refreshingAccessTokenLifetime");
        Objects.requireNonNull(uiaSessionLifetime, "uiaSessionLifetime");
        if (refreshingAccessTokenLifetime.isNegative() || refreshingAccessTokenLifetime.isZero()
                || uiaSessionLifetime.isNegative() || uiaSessionLifetime.isZero()) {
            throw new IllegalArgumentException("lifetimes must be positive");
        }
    }

    public static AccountSettings defaults() {
        return new AccountSettings(Duration.ofMinutes(60), Duration.ofMinutes(15));
    }
}
