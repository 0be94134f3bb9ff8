package dev.hyphae.cli;

import dev.hyphae.node.http.HttpSettings;
import dev.hyphae.node.http.RateLimit;
import java.util.Objects;

/**
 * The rate limits of the client-server API: of each client address and of each signed-in user.
 */
record ClientRateLimits(RateLimit perIp, RateLimit perUser) {

    ClientRateLimits {
        Objects.requireNonNull(perIp, "perIp");
        Objects.requireNonNull(perUser, "perUser");
    }

    /** The limits of {@link HttpSettings#defaults()}. */
    static ClientRateLimits defaults() {
        HttpSettings defaults = HttpSettings.defaults();
        return new ClientRateLimits(defaults.perIp(), defaults.perUser());
    }

    HttpSettings applyTo(HttpSettings settings) {
        return settings.withRateLimits(perIp, perUser);
    }
}
