package dev.hyphae.transport.libp2p.mdns;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A peer named in an mDNS answer.
 *
 * @param addrs its transport addresses, without {@code /p2p/<id>}
 * @param ttl how long the answer said the addresses stay valid
 */
public record DiscoveredPeer(PeerId peerId, List<Multiaddr> addrs, Duration ttl) {
    public DiscoveredPeer {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(ttl, "ttl");
        addrs = List.copyOf(addrs);
    }
}
