package dev.hyphae.store;

import java.util.Objects;

/**
 * How long to wait before trying a destination again after failed deliveries.
 *
 * @param failures  consecutive failed delivery attempts
 * @param retryAtTs the earliest time to try again
 */
public record DestinationBackoff(String destination, int failures, long retryAtTs) {
    public DestinationBackoff {
        Objects.requireNonNull(destination, "destination");
    }
}
