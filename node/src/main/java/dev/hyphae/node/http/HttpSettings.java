package dev.hyphae.node.http;

import java.util.Objects;

/**
 * How the client-server API is served.
 *
 * @param host                where to listen; the default is loopback only, so nothing off the
 *                            device can reach the API
 * @param port                the TCP port, 0 for any free one
 * @param maxBodyBytes        the largest request body accepted; larger gives 413 M_TOO_LARGE
 * @param workerThreads       how many handlers may run at once (off the network threads)
 * @param workerQueue         how many requests may wait for a worker before 429 is returned
 * @param perIp               the rate limit of each client address
 * @param perUser             the rate limit of each authenticated user
 */
public record HttpSettings(String host, int port, int maxBodyBytes, int workerThreads, int workerQueue,
        RateLimit perIp, RateLimit perUser) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8008;

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(perIp, "perIp");
        Objects.requireNonNull(perUser, "perUser");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxBodyBytes < 1 || workerThreads < 1 || workerQueue < 1) {
            throw new IllegalArgumentException("body limit, workers and queue must be positive");
        }
    }

    /**
     * The defaults: 127.0.0.1:8008, 1 MiB bodies, and limits that a busy client on the device never
     * reaches (every local client shares the loopback address) but that stop a runaway loop.
     */
    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_HOST, DEFAULT_PORT, 1 << 20, 8, 1024,
                new RateLimit(200, 400), new RateLimit(50, 200));
    }

    public HttpSettings withAddress(String newHost, int newPort) {
        return new HttpSettings(newHost, newPort, maxBodyBytes, workerThreads, workerQueue, perIp, perUser);
    }

    public HttpSettings withMaxBodyBytes(int bytes) {
        return new HttpSettings(host, port, bytes, workerThreads, workerQueue, perIp, perUser);
    }

    public HttpSettings withRateLimits(RateLimit newPerIp, RateLimit newPerUser) {
        return new HttpSettings(host, port, maxBodyBytes, workerThreads, workerQueue, newPerIp, newPerUser);
    }
}
