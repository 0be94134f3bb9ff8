package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.kad.KadConfig;
import dev.hyphae.transport.libp2p.mdns.MdnsConfig;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Libp2pHost} runs.
 *
 * @param listenAddrs TCP multiaddrs to listen on (port 0 picks a free port); may be empty for a host that only dials
 * @param bootstrapPeers DHT bootstrap peers, each ending in {@code /p2p/<id>}
 * @param refreshInterval how often the DHT routing table is refreshed (the kad spec suggests 10 minutes)
 * @param timeout upgrade, identify, ping and dial timeout
 * @param mdns mDNS discovery on the local network; empty: off
 */
public record HostConfig(List<Multiaddr> listenAddrs, List<Multiaddr> bootstrapPeers, KadConfig kad,
                         ConnectionLimits limits, Duration refreshInterval, Duration timeout, String agentVersion,
                         int eventLoopThreads, Optional<MdnsConfig> mdns) {

    public HostConfig {
        listenAddrs = List.copyOf(listenAddrs);
        bootstrapPeers = List.copyOf(bootstrapPeers);
        Objects.requireNonNull(kad, "kad");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(agentVersion, "agentVersion");
        if (refreshInterval.isNegative() || refreshInterval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("refreshInterval and timeout must be positive");
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be positive");
        }
        Objects.requireNonNull(mdns, "mdns");
    }

    /** A configuration without mDNS. */
    public HostConfig(List<Multiaddr> listenAddrs, List<Multiaddr> bootstrapPeers, KadConfig kad,
                      ConnectionLimits limits, Duration refreshInterval, Duration timeout, String agentVersion,
                      int eventLoopThreads) {
        this(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion, eventLoopThreads,
            Optional.empty());
    }

    /** Hyphae's DHT, default limits, refresh every 10 minutes, 10 s timeouts, two event loop threads, no mDNS. */
    public static HostConfig defaults(List<Multiaddr> listenAddrs, List<Multiaddr> bootstrapPeers) {
        return new HostConfig(listenAddrs, bootstrapPeers, KadConfig.hyphae(), ConnectionLimits.defaults(),
            Duration.ofMinutes(10), Duration.ofSeconds(10), "hyphae/0", 2);
    }

    public HostConfig withLimits(ConnectionLimits newLimits) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, newLimits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, mdns);
    }

    /** This configuration with mDNS discovery on. */
    public HostConfig withMdns(MdnsConfig newMdns) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, Optional.of(newMdns));
    }
}
