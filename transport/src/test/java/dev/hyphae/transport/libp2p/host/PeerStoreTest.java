package dev.hyphae.transport.libp2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerRecord;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
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

        store.updateFromPush(key.peerId(), onlyAddrs);

        PeerStore.PeerInfo info = store.get(key.peerId()).orElseThrow();
        assertEquals(List.of(listen, circuit), info.addrs());
        assertEquals(List.of("/ipfs/ping/1.0.0"), info.protocols());
    }
}
