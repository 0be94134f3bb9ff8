package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.peer.PeerId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps saved peers in a map, standing in for the node's database. */
final class MemoryPeerPersistence implements PeerPersistence {
    final Map<PeerId, PeerStore.PeerInfo> peers = new ConcurrentHashMap<>();

    @Override
    public List<PeerStore.PeerInfo> load() {
        return List.copyOf(peers.values());
    }

    @Override
    public void save(PeerStore.PeerInfo peer) {
        peers.put(peer.peerId(), peer);
    }
}
