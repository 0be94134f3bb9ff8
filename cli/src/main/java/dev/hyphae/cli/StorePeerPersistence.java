package dev.hyphae.cli;

import dev.hyphae.store.Store;
import dev.hyphae.store.StoreClosedException;
import dev.hyphae.store.StoredPeer;
import dev.hyphae.transport.libp2p.host.PeerPersistence;
import dev.hyphae.transport.libp2p.host.PeerStore;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the libp2p host's peer store in the node's database: the transport defines what it needs
 * ({@link PeerPersistence}), the store keeps rows ({@code Peers}), and this adapter translates.
 * Stored rows are checked again when loaded: a row whose peer ID, key or signed record does not
 * verify is skipped (or loses the record), never trusted.
 */
final class StorePeerPersistence implements PeerPersistence {
    private static final Logger LOG = LoggerFactory.getLogger(StorePeerPersistence.class);

    private final Store store;
    private final Clock clock;

    StorePeerPersistence(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The saved peers, after the addresses that have expired are deleted. */
    @Override
    public List<PeerStore.PeerInfo> load() {
        long now = clock.millis();
        store.write(tx -> tx.peers().deleteAddressesExpiredAt(now)).join();
        List<PeerStore.PeerInfo> peers = new ArrayList<>();
        for (StoredPeer row : store.read(tx -> tx.peers().all())) {
            toPeerInfo(row).ifPresent(peers::add);
        }
        return peers;
    }

    /** Queues the write and returns at once; a failed write is logged, the peer store goes on. */
    @Override
    public void save(PeerStore.PeerInfo peer) {
        StoredPeer row = toStoredPeer(peer);
        try {
            store.write(tx -> {
                tx.peers().put(row);
                return null;
            }).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("peer {} not saved: {}", peer.peerId(), e.getMessage());
                }
            });
        } catch (StoreClosedException e) {
            LOG.debug("peer {} not saved, the store is closed", peer.peerId());
        }
    }

    static StoredPeer toStoredPeer(PeerStore.PeerInfo peer) {
        return new StoredPeer(peer.peerId().toBase58(), peer.publicKey().map(PublicKey::toProtobuf), peer.protocols(),
                peer.addresses().stream()
                        .map(a -> new StoredPeer.Address(a.address().toString(), a.expires().toEpochMilli()))
                        .toList(),
                peer.signedRecord().map(PeerStore.SignedRecord::envelope), peer.lastSeen().toEpochMilli());
    }

    static Optional<PeerStore.PeerInfo> toPeerInfo(StoredPeer row) {
        try {
            PeerId peerId = PeerId.parse(row.peerId());
            Optional<PublicKey> key = row.publicKey().map(PublicKey::fromProtobuf);
            Optional<PeerStore.SignedRecord> record = Optional.empty();
            if (row.signedPeerRecord().isPresent()) {
                try {
                    record = Optional.of(PeerStore.SignedRecord.open(row.signedPeerRecord().get()))
                            .filter(r -> r.record().peerId().equals(peerId));
                } catch (IllegalArgumentException e) {
                    LOG.warn("stored peer record of {} does not verify, dropped: {}", row.peerId(), e.getMessage());
                }
            }
            List<PeerStore.PeerAddress> addresses = new ArrayList<>();
            for (StoredPeer.Address address : row.addresses()) {
                try {
                    addresses.add(new PeerStore.PeerAddress(Multiaddr.parse(address.multiaddr()),
                            Instant.ofEpochMilli(address.expiresTs())));
                } catch (IllegalArgumentException e) {
                    LOG.warn("stored address of {} unreadable, dropped: {}", row.peerId(), address.multiaddr());
                }
            }
            return Optional.of(new PeerStore.PeerInfo(peerId, addresses, row.protocols(), key, record,
                    Instant.ofEpochMilli(row.lastSeenTs())));
        } catch (IllegalArgumentException e) {
            LOG.warn("stored peer {} unreadable, skipped: {}", row.peerId(), e.getMessage());
            return Optional.empty();
        }
    }
}
