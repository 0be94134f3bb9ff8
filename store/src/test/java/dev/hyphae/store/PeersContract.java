package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: libp2p peers with their addresses, kept across restarts. */
public interface PeersContract extends StoreFixture {
    String PEER_A = "12D3KooWAAAA";
    String PEER_B = "12D3KooWBBBB";

    private static StoredPeer peer(String id, long lastSeen, StoredPeer.Address... addresses) {
        return new StoredPeer(id, Optional.of(new byte[] {8, 1, 18, 32, 7}), List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"),
                List.of(addresses), Optional.of(new byte[] {1, 2, 3}), lastSeen);
    }

    private void put(StoredPeer peer) {
        write(tx -> {
            tx.peers().put(peer);
            return null;
        });
    }

    @Test
    default void aStoredPeerIsReadBackWholeAfterReopening() {
        StoredPeer a = peer(PEER_A, 1_000, new StoredPeer.Address("/ip4/192.0.2.1/tcp/4001", 9_000),
                new StoredPeer.Address("/ip6/::1/tcp/4001", 5_000));
        StoredPeer b = new StoredPeer(PEER_B, Optional.empty(), List.of(), List.of(), Optional.empty(), 2_000);
        put(b);
        put(a);
        reopenStore();
        assertEquals(Optional.of(a), store().read(tx -> tx.peers().get(PEER_A)));
        assertEquals(Optional.of(b), store().read(tx -> tx.peers().get(PEER_B)));
        assertEquals(List.of(a, b), store().read(tx -> tx.peers().all()));
        assertTrue(store().read(tx -> tx.peers().get("12D3KooWnobody")).isEmpty());
    }

    @Test
    default void puttingAPeerAgainReplacesItsAddressesAndFields() {
        put(peer(PEER_A, 1_000, new StoredPeer.Address("/ip4/192.0.2.1/tcp/1", 9_000),
                new StoredPeer.Address("/ip4/192.0.2.2/tcp/2", 9_000)));
        StoredPeer later = new StoredPeer(PEER_A, Optional.empty(), List.of("/x/1"),
                List.of(new StoredPeer.Address("/ip4/192.0.2.2/tcp/2", 20_000),
                        new StoredPeer.Address("/ip4/192.0.2.3/tcp/3", 20_000)),
                Optional.empty(), 3_000);
        put(later);
        assertEquals(Optional.of(later), store().read(tx -> tx.peers().get(PEER_A)));
    }

    @Test
    default void expiredAddressesAreDeletedAndDeletedPeersAreGone() {
        put(peer(PEER_A, 1_000, new StoredPeer.Address("/ip4/192.0.2.1/tcp/1", 5_000),
                new StoredPeer.Address("/ip4/192.0.2.2/tcp/2", 9_000)));
        assertEquals(1, writeCount(tx -> tx.peers().deleteAddressesExpiredAt(5_000)));
        assertEquals(List.of(new StoredPeer.Address("/ip4/192.0.2.2/tcp/2", 9_000)),
                store().read(tx -> tx.peers().get(PEER_A)).orElseThrow().addresses());
        assertTrue(writeFlag(tx -> tx.peers().delete(PEER_A)));
        assertFalse(writeFlag(tx -> tx.peers().delete(PEER_A)));
        assertEquals(List.of(), store().read(tx -> tx.peers().all()));
    }

    @Test
    default void inconsistentPeersCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new StoredPeer("", Optional.empty(), List.of(), List.of(),
                Optional.empty(), 1));
        assertThrows(IllegalArgumentException.class, () -> new StoredPeer(PEER_A, Optional.empty(),
                List.of("/two\nlines"), List.of(), Optional.empty(), 1));
        assertThrows(IllegalArgumentException.class, () -> new StoredPeer(PEER_A, Optional.empty(), List.of(),
                List.of(new StoredPeer.Address("/ip4/1.2.3.4/tcp/1", 1), new StoredPeer.Address("/ip4/1.2.3.4/tcp/1", 2)),
                Optional.empty(), 1));
        assertThrows(IllegalArgumentException.class, () -> new StoredPeer.Address("", 1));
    }
}
