package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PeerStoreTest {

    private final PrivateKey key = PrivateKey.generate(new SecureRandom());
    private final Multiaddr listen = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
    private final Multiaddr signed = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");

    private IdentifyMessage message(Optional<PeerRecord> record) throws Exception {
        IdentifyMessage sent = IdentifyMessage.of(key.publicKey(), List.of(listen), List.of("/ipfs/ping/1.0.0"),
            Optional.empty(), "test", record.map(r -> r.seal(key)));
        return IdentifyMessage.fromProtobuf(sent.toProtobuf(), key.peerId(), false);
    }

    @Test
    void storeKeepsListenAddressesProtocolsAndWhenThePeerWasSeen() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        PeerStore store = new PeerStore(Clock.fixed(now, ZoneOffset.UTC));

        store.update(key.peerId(), message(Optional.empty()));

        PeerStore.PeerInfo info = store.get(key.peerId()).orElseThrow();
        assertEquals(List.of(listen), info.addrs());
        assertEquals(List.of("/ipfs/ping/1.0.0"), info.protocols());
        assertEquals(now, info.lastSeen());
    }

    @Test
    void signedPeerRecordAddressesWinOverPlainListenAddresses() throws Exception {
        PeerStore store = new PeerStore(Clock.systemUTC());

        store.update(key.peerId(), message(Optional.of(new PeerRecord(key.peerId(), 1, List.of(signed)))));

        assertEquals(List.of(signed), store.get(key.peerId()).orElseThrow().addrs());
        assertTrue(store.get(PrivateKey.generate(new SecureRandom()).peerId()).isEmpty());
    }

    @Test
    void pushKeepsWhatItLeavesOutAndReplacesWhatItCarries() throws Exception {
        PeerStore store = new PeerStore(Clock.systemUTC());
        store.update(key.peerId(), message(Optional.empty()));
        Multiaddr circuit = Multiaddr.parse("/ip4/192.0.2.9/tcp/4001/p2p/"
            + PrivateKey.generate(new SecureRandom()).peerId().toBase58() + "/p2p-circuit");
        IdentifyMessage onlyAddrs = new IdentifyMessage(Optional.empty(), List.of(listen, circuit), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        store.applyPush(key.peerId(), onlyAddrs);

        PeerStore.PeerInfo info = store.get(key.peerId()).orElseThrow();
        assertEquals(List.of(listen, circuit), info.addrs());
        assertEquals(List.of("/ipfs/ping/1.0.0"), info.protocols());
    }

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void discoveredAddressesExpireAfterTheirTtl() {
        ManualClock clock = new ManualClock();
        PeerStore store = new PeerStore(clock);
        Multiaddr other = Multiaddr.parse("/ip4/192.0.2.9/tcp/1");

        store.addAddresses(key.peerId(), List.of(listen), Duration.ofSeconds(120));
        clock.advance(Duration.ofSeconds(60));
        store.addAddresses(key.peerId(), List.of(other), Duration.ofSeconds(120));
        clock.advance(Duration.ofSeconds(61));

        assertEquals(List.of(other), store.get(key.peerId()).orElseThrow().addrs());
        assertEquals(key.peerId().publicKey(), store.get(key.peerId()).orElseThrow().publicKey());
        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of(), store.get(key.peerId()).orElseThrow().addrs());
    }

    @Test
    void aPushWithoutAddressesOrProtocolsKeepsTheKnownOnes() throws Exception {
        PeerStore store = new PeerStore(Clock.systemUTC());
        store.update(key.peerId(), message(Optional.empty()));

        IdentifyMessage onlyAgent = IdentifyMessage.fromProtobuf(new IdentifyMessage(Optional.empty(), List.of(),
            List.of(), Optional.empty(), Optional.empty(), Optional.of("new agent"), Optional.empty(), Optional.empty())
            .toProtobuf(), key.peerId(), true);
        store.applyPush(key.peerId(), onlyAgent);
        assertEquals(List.of(listen), store.get(key.peerId()).orElseThrow().addrs());
        assertEquals(List.of("/ipfs/ping/1.0.0"), store.get(key.peerId()).orElseThrow().protocols());

        IdentifyMessage newProtocols = IdentifyMessage.fromProtobuf(new IdentifyMessage(Optional.empty(), List.of(signed),
            List.of("/x/1"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty())
            .toProtobuf(), key.peerId(), true);
        store.applyPush(key.peerId(), newProtocols);
        assertEquals(List.of(signed), store.get(key.peerId()).orElseThrow().addrs());
        assertEquals(List.of("/x/1"), store.get(key.peerId()).orElseThrow().protocols());
    }

    @Test
    void anOlderSignedPeerRecordDoesNotReplaceANewerOne() throws Exception {
        PeerStore store = new PeerStore(Clock.systemUTC());
        store.update(key.peerId(), message(Optional.of(new PeerRecord(key.peerId(), 5, List.of(signed)))));
        store.update(key.peerId(), message(Optional.of(new PeerRecord(key.peerId(), 4, List.of(listen)))));

        PeerStore.PeerInfo info = store.get(key.peerId()).orElseThrow();
        assertEquals(5, info.signedRecord().orElseThrow().record().seq());
        assertEquals(PeerStore.SignedRecord.open(info.signedRecord().orElseThrow().envelope()), info.signedRecord().get());
    }

    @Test
    void changesAreSavedButMereSightingsOnlyOnceAMinute() throws Exception {
        ManualClock clock = new ManualClock();
        MemoryPeerPersistence saved = new MemoryPeerPersistence();
        List<Instant> saves = new java.util.ArrayList<>();
        PeerPersistence counting = new PeerPersistence() {
            @Override
            public List<PeerStore.PeerInfo> load() {
                return saved.load();
            }

            @Override
            public void save(PeerStore.PeerInfo peer) {
                saves.add(peer.lastSeen());
                saved.save(peer);
            }
        };
        PeerStore store = new PeerStore(clock, counting);

        store.update(key.peerId(), message(Optional.empty()));
        clock.advance(Duration.ofSeconds(10));
        store.update(key.peerId(), message(Optional.empty()));
        assertEquals(1, saves.size(), "a sighting 10 s later was written");
        clock.advance(Duration.ofSeconds(60));
        store.update(key.peerId(), message(Optional.empty()));
        assertEquals(2, saves.size());
        store.addAddresses(key.peerId(), List.of(signed), Duration.ofMinutes(2));
        assertEquals(3, saves.size(), "a new address was not written");

        clock.advance(PeerStore.IDENTIFIED_TTL.minusMinutes(1));
        PeerStore reloaded = new PeerStore(clock, counting);
        PeerStore.PeerInfo info = reloaded.get(key.peerId()).orElseThrow();
        assertEquals(List.of(listen), info.addrs(), "expired addresses came back, or live ones were lost");
        assertEquals(Optional.of(key.publicKey()), info.publicKey());
    }

    @Test
    void aPeerInfoWithAnotherPeersKeyCannotBeBuilt() {
        PrivateKey other = PrivateKey.generate(new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> new PeerStore.PeerInfo(key.peerId(), List.of(), List.of(),
            Optional.of(other.publicKey()), Optional.empty(), Instant.EPOCH));
    }
}
