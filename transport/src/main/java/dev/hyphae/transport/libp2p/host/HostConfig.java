package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.kad.KadConfig;
import dev.hyphae.transport.libp2p.mdns.MdnsConfig;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.relay.RelayLimits;
import dev.hyphae.transport.libp2p.relay.RelayProtocol;
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
 * @param relays relays to hold reservations on (circuit relay v2), each ending in {@code /p2p/<relay>};
 *     once one is held, the host advertises {@code <relay>/p2p-circuit} addresses
 * @param relayService when present, the host is a relay for others within these limits; empty (the default) turns the relay service off
 * @param announceAddrs when not empty, advertised (identify, peer record, DHT, DCUtR) instead of the bound listen addresses,
 *     e.g. a public or DNS address that forwards to them; without {@code /p2p/}
 * @param mdns mDNS discovery on the local network; empty: off
 * @param holePunching whether a relayed connection this host accepts is upgraded to a direct one on its own
 *     (DCUtR, this host being the spec's B); the other side's part of DCUtR is always served
 */
public record HostConfig(List<Multiaddr> listenAddrs, List<Multiaddr> bootstrapPeers, KadConfig kad,
                         ConnectionLimits limits, Duration refreshInterval, Duration timeout, String agentVersion,
                         int eventLoopThreads, List<Multiaddr> relays, Optional<RelayLimits> relayService,
                         List<Multiaddr> announceAddrs, Optional<MdnsConfig> mdns, boolean holePunching) {

    public HostConfig {
        listenAddrs = List.copyOf(listenAddrs);
        bootstrapPeers = List.copyOf(bootstrapPeers);
        relays = List.copyOf(relays);
        announceAddrs = List.copyOf(announceAddrs);
        Objects.requireNonNull(kad, "kad");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(relayService, "relayService");
        Objects.requireNonNull(mdns, "mdns");
        if (refreshInterval.isNegative() || refreshInterval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("refreshInterval and timeout must be positive");
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be positive");
        }
        for (Multiaddr relay : relays) {
            if (relay.valueOf(Protocol.P2P).isEmpty() || RelayProtocol.isCircuit(relay)) {
                throw new IllegalArgumentException("a relay must be named with /p2p/<id> and not be a circuit: " + relay);
            }
        }
    }

    /** Without relays, without the relay service and without mDNS. */
    public HostConfig(List<Multiaddr> listenAddrs, List<Multiaddr> bootstrapPeers, KadConfig kad,
                      ConnectionLimits limits, Duration refreshInterval, Duration timeout, String agentVersion,
                      int eventLoopThreads) {
        this(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion, eventLoopThreads,
            List.of(), Optional.empty(), List.of(), Optional.empty(), true);
    }

    /** Hyphae's DHT, default limits, refresh every 10 minutes, 10 s timeouts, two event loop threads, no relays, no mDNS. */
    public static HostConfig defaults(List<Multiaddr> listenAddrs, List<Multiaddr> bootstrapPeers) {
        return new HostConfig(listenAddrs, bootstrapPeers, KadConfig.hyphae(), ConnectionLimits.defaults(),
            Duration.ofMinutes(10), Duration.ofSeconds(10), "hyphae/0", 2);
    }

    public HostConfig withLimits(ConnectionLimits newLimits) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, newLimits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, relays, relayService, announceAddrs, mdns, holePunching);
    }

    /** The same, holding reservations on {@code newRelays}. */
    public HostConfig withRelays(List<Multiaddr> newRelays) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, newRelays, relayService, announceAddrs, mdns, holePunching);
    }

    /** The same, serving as a relay within {@code relayLimits}. */
    public HostConfig withRelayService(RelayLimits relayLimits) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, relays, Optional.of(relayLimits), announceAddrs, mdns, holePunching);
    }

    /** The same, advertising {@code addrs} instead of the bound listen addresses. */
    public HostConfig withAnnounceAddrs(List<Multiaddr> addrs) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, relays, relayService, addrs, mdns, holePunching);
    }

    /** The same, with mDNS discovery on. */
    public HostConfig withMdns(MdnsConfig newMdns) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, relays, relayService, announceAddrs, Optional.of(newMdns), holePunching);
    }

    /** The same, with the automatic upgrade of accepted relayed connections (DCUtR) on or off. */
    public HostConfig withHolePunching(boolean on) {
        return new HostConfig(listenAddrs, bootstrapPeers, kad, limits, refreshInterval, timeout, agentVersion,
            eventLoopThreads, relays, relayService, announceAddrs, mdns, on);
    }
}
