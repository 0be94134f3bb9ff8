package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.store.StoredPeer;
import dev.hyphae.store.sqlite.SqliteStore;
import dev.hyphae.transport.libp2p.host.PeerStore;
import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorePeerPersistenceTest {
    @TempDir
    Path dataDir;

    private final SecureRandom random = new SecureRandom();
    private final PrivateKey peerKey = PrivateKey.generate(random);
    private final Multiaddr address = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");
    private final Instant start = Instant.parse("2026-11-23T12:00:00Z");

    private IdentifyMessage identify() throws Exception {
        IdentifyMessage sent = IdentifyMessage.of(peerKey.publicKey(), List.of(address), List.of("/ipfs/ping/1.0.0"),
                Optional.empty(), "test", Optional.of(new PeerRecord(peerKey.peerId(), 3, List.of(address)).seal(peerKey)));
        return IdentifyMessage.fromProtobuf(sent.toProtobuf(), peerKey.peerId(), false);
    }

    @Test
    void aPeerIdentifiedBeforeARestartIsKnownAfterIt() throws Exception {
        Clock clock = Clock.fixed(start, ZoneOffset.UTC);
        PeerStore.PeerInfo before;
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            PeerStore peers = new PeerStore(clock, new StorePeerPersistence(store, clock));
            before = peers.update(peerKey.peerId(), identify());
        }
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            PeerStore peers = new PeerStore(clock, new StorePeerPersistence(store, clock));
            assertEquals(Optional.of(before), peers.get(peerKey.peerId()));
            assertEquals(3, peers.get(peerKey.peerId()).orElseThrow().signedRecord().orElseThrow().record().seq());
        }
    }

    @Test
    void expiredAddressesAreDeletedWhenLoaded() throws Exception {
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir)) {
            Clock then = Clock.fixed(start, ZoneOffset.UTC);
            new PeerStore(then, new StorePeerPersistence(store, then))
                    .addAddresses(peerKey.peerId(), List.of(address), Duration.ofMinutes(2));
            Clock later = Clock.fixed(start.plus(Duration.ofMinutes(3)), ZoneOffset.UTC);
            PeerStore reloaded = new PeerStore(later, new StorePeerPersistence(store, later));
            assertEquals(List.of(), reloaded.get(peerKey.peerId()).orElseThrow().addrs());
            assertEquals(List.of(), store.read(tx -> tx.peers().get(peerKey.peerId().toBase58())).orElseThrow().addresses());
        }
    }

    @Test
    void rowsThatDoNotVerifyAreSkippedOrLoseTheirRecord() {
        PrivateKey other = PrivateKey.generate(random);
        byte[] othersRecord = new PeerRecord(other.peerId(), 1, List.of(address)).seal(other).toBytes();
        StoredPeer wrongRecord = new StoredPeer(peerKey.peerId().toBase58(), Optional.empty(), List.of(),
                List.of(new StoredPeer.Address("/not/a/multiaddr", 1), new StoredPeer.Address(address.toString(), 5)),
                Optional.of(othersRecord), 1);
        StoredPeer wrongKey = new StoredPeer(other.peerId().toBase58(), Optional.of(peerKey.publicKey().toProtobuf()),
                List.of(), List.of(), Optional.empty(), 1);
        StoredPeer badId = new StoredPeer("not-a-peer-id", Optional.empty(), List.of(), List.of(), Optional.empty(), 1);

        PeerStore.PeerInfo kept = StorePeerPersistence.toPeerInfo(wrongRecord).orElseThrow();
        assertTrue(kept.signedRecord().isEmpty(), "another peer's record was kept");
        assertEquals(List.of(address), kept.addrs());
        assertTrue(StorePeerPersistence.toPeerInfo(wrongKey).isEmpty(), "a row with another peer's key was loaded");
        assertTrue(StorePeerPersistence.toPeerInfo(badId).isEmpty());
    }
}
