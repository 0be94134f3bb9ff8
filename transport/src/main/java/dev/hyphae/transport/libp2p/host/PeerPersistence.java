package dev.hyphae.transport.libp2p.host;

import java.util.List;

/**
 * Where a {@link PeerStore} keeps what it knows across restarts. Implemented outside the transport
 * (the node's database); {@link #none()} keeps nothing.
 */
public interface PeerPersistence {

    /** Every peer saved before; read once, when the peer store is made. */
    List<PeerStore.PeerInfo> load();

    /**
     * Saves what is known of one peer, replacing what was saved of it before. Called on the host's
     * event loops, so it must not block: it may return before the peer is durable.
     */
    void save(PeerStore.PeerInfo peer);

    /** Keeps nothing: the peer store lives in memory only. */
    static PeerPersistence none() {
        return new PeerPersistence() {
            @Override
            public List<PeerStore.PeerInfo> load() {
                return List.of();
            }

            @Override
            public void save(PeerStore.PeerInfo peer) {
            }
        };
    }
}
