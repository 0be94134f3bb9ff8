package dev.hyphae.node.federation;

import dev.hyphae.node.http.RateLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * How federation over libp2p is served and called.
 *
 * @param maxRequestBodyBytes  the largest request body served; larger is answered 413 and the stream ends
 * @param maxResponseBodyBytes the largest response body this node reads from another server
 * @param requestTimeout       how long one request may take once a connection exists, and how
 *                             long a served request may take to arrive
 * @param routeTimeout         how long the router may look for a connection
 * @param workerThreads        how many federation handlers may run at once
 * @param workerQueue          how many served requests may wait for a worker before 429
 * @param perPeer              the rate limit of each remote peer
 */
public record FederationSettings(int maxRequestBodyBytes, int maxResponseBodyBytes, Duration requestTimeout,
        Duration routeTimeout, int workerThreads, int workerQueue, RateLimit perPeer) {
    public FederationSettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(routeTimeout, "routeTimeout");
        Objects.requireNonNull(perPeer, "perPeer");
        if (maxRequestBodyBytes < 1 || maxResponseBodyBytes < 1 || workerThreads < 1 || workerQueue < 1) {
            throw new IllegalArgumentException("body limits, workers and queue must be positive");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || routeTimeout.isNegative() || routeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * 1 MiB requests (a transaction holds at most 50 PDUs of at most 64 KiB each, plus EDUs),
     * 16 MiB responses (state and backfill answers are large), 30 s per request, 30 s to route,
     * 4 workers.
     */
    public static FederationSettings defaults() {
        return new FederationSettings(1 << 20, 16 << 20, Duration.ofSeconds(30), Duration.ofSeconds(30), 4, 256,
                new RateLimit(50, 200));
    }

    public FederationSettings withTimeouts(Duration request, Duration route) {
        return new FederationSettings(maxRequestBodyBytes, maxResponseBodyBytes, request, route, workerThreads,
                workerQueue, perPeer);
    }

    public FederationSettings withBodyLimits(int request, int response) {
        return new FederationSettings(request, response, requestTimeout, routeTimeout, workerThreads, workerQueue,
                perPeer);
    }
}
