package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the host has learned about peers from identify: their listen addresses, protocols and when
 * they were last seen. In memory only; the node does not yet persist it to SQLite. Thread-safe.
 */
public final class PeerStore {

    /** One peer as last identified. */
    public record PeerInfo(PeerId peerId, List<Multiaddr> addrs, List<String> protocols, Instant lastSeen) {
        public PeerInfo {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(lastSeen, "lastSeen");
            addrs = List.copyOf(addrs);
            protocols = List.copyOf(protocols);
        }
    }

    private final Clock clock;
    private final Map<PeerId, PeerInfo> peers = new ConcurrentHashMap<>();

    public PeerStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Records an identify answer from {@code peer}. A signed peer record's addresses are preferred
     * to the plain listen addresses, as the peer vouches for them.
     */
    public PeerInfo update(PeerId peer, IdentifyMessage message) {
        List<Multiaddr> addrs = message.signedPeerRecord()
            .filter(r -> r.peerId().equals(peer) && !r.addresses().isEmpty())
            .map(r -> r.addresses())
            .orElse(message.listenAddrs());
        PeerInfo info = new PeerInfo(peer, addrs, message.protocols(), clock.instant());
        peers.put(peer, info);
        return info;
    }

    /**
     * Records an identify push from {@code peer}: fields the push leaves out keep what was known.
     */
    public PeerInfo updateFromPush(PeerId peer, IdentifyMessage message) {
        Optional<PeerInfo> known = get(peer);
        boolean hasAddrs = !message.listenAddrs().isEmpty()
            || message.signedPeerRecord().filter(r -> !r.addresses().isEmpty()).isPresent();
        List<Multiaddr> addrs = hasAddrs ? update(peer, message).addrs()
            : known.map(PeerInfo::addrs).orElse(List.of());
        List<String> protocols = message.protocols().isEmpty()
            ? known.map(PeerInfo::protocols).orElse(List.of()) : message.protocols();
        PeerInfo info = new PeerInfo(peer, addrs, protocols, clock.instant());
        peers.put(peer, info);
        return info;
    }

    public Optional<PeerInfo> get(PeerId peer) {
        return Optional.ofNullable(peers.get(peer));
    }

    public int size() {
        return peers.size();
    }
}
