package dev.hyphae.store;

import java.util.List;
import java.util.Optional;

/** The libp2p peers the node knows, kept so that it finds them again after a restart. */
public interface Peers {
    Optional<StoredPeer> get(String peerId);

    /** Every peer, by peer ID. */
    List<StoredPeer> all();

    interface Writer extends Peers {
        /** Stores the peer, replacing all that was stored of it before (its addresses too). */
        void put(StoredPeer peer);

        /** @return {@code false} when the peer was not stored */
        boolean delete(String peerId);

        /** Deletes every address that expired at or before {@code nowTs}; returns how many. */
        int deleteAddressesExpiredAt(long nowTs);
    }
}
