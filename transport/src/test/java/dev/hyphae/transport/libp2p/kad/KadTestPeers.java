package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.util.List;
import java.util.Random;

/** Deterministic peers for DHT tests. */
final class KadTestPeers {

    private KadTestPeers() {
    }

    static PrivateKey key(Random random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return PrivateKey.fromSeed(seed);
    }

    static PeerId peerId(Random random) {
        return key(random).peerId();
    }

    static KadPeer peer(Random random, int port) {
        return new KadPeer(peerId(random), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port)));
    }

    /** A fresh peer whose id shares exactly {@code cpl} leading bits with {@code local}'s. */
    static KadPeer peerInBucket(Random random, PeerId local, int cpl) {
        KadId localId = KadId.ofPeer(local);
        while (true) {
            KadPeer p = peer(random, 4001);
            if (localId.commonPrefixLength(p.kadId()) == cpl) {
                return p;
            }
        }
    }
}
