package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.connection.InboundGate;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The {@link InboundGate} of a host: refuses an accepted socket over the inbound rate of its IP or
 * when the host already holds its connection limit, before any handshake is spent on it.
 */
final class InboundLimiter implements InboundGate {

    private final ConnectionLimits limits;
    private final IntSupplier liveConnections;
    private final Map<String, TokenBucket> byIp = new HashMap<>();

    InboundLimiter(ConnectionLimits limits, IntSupplier liveConnections) {
        this.limits = Objects.requireNonNull(limits);
        this.liveConnections = Objects.requireNonNull(liveConnections);
    }

    @Override
    public Optional<String> refusal(InetSocketAddress remote) {
        String ip = remote.getAddress().getHostAddress();
        boolean withinRate;
        synchronized (byIp) {
            TokenBucket bucket = byIp.computeIfAbsent(ip, k -> new TokenBucket(
                limits.inboundBurstPerIp(), limits.inboundPerIpPerSecond(), System::nanoTime));
            withinRate = bucket.tryTake();
            // Buckets that filled up again hold nothing worth keeping.
            byIp.values().removeIf(TokenBucket::isFull);
        }
        if (!withinRate) {
            return Optional.of("too many inbound connections from " + ip);
        }
        if (liveConnections.getAsInt() >= limits.maxConnections()) {
            return Optional.of("connection limit of " + limits.maxConnections() + " reached");
        }
        return Optional.empty();
    }
}
