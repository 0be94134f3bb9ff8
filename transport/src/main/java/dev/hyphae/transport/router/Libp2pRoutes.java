package dev.hyphae.transport.router;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.host.PeerStore;
import dev.hyphae.transport.libp2p.kad.KadPeer;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The routes a {@link Libp2pHost} offers by itself, in the router's order: a live connection to
 * the peer, then the addresses identify left in the peer store, then the addresses a DHT lookup
 * of the peer ID finds.
 */
public final class Libp2pRoutes {
    private Libp2pRoutes() {
    }

    /** The three routes in order: {@link #liveConnection}, {@link #peerStore}, {@link #dht}. */
    public static List<Route> of(Libp2pHost host) {
        return List.of(liveConnection(host), peerStore(host), dht(host));
    }

    /** A connection the host already has to the peer. */
    public static Route liveConnection(Libp2pHost host) {
        return new Named("live connection", destination -> {
            Optional<Connection> live = host.connection(destination.peerId());
            return live.map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("no live connection")));
        });
    }

    /** Dials the addresses the peer store holds for the peer. */
    public static Route peerStore(Libp2pHost host) {
        return new Named("peer store", destination -> {
            PeerId peer = destination.peerId();
            Optional<PeerStore.PeerInfo> known = host.peerStore().get(peer).filter(info -> !info.addrs().isEmpty());
            return known.map(info -> host.dial(new KadPeer(peer, info.addrs())))
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("no known addresses")));
        });
    }

    /** Looks the peer up in the DHT (Kademlia FIND_NODE towards its ID) and dials what it finds. */
    public static Route dht(Libp2pHost host) {
        return new Named("dht", destination -> {
            PeerId peer = destination.peerId();
            return host.findPeer(peer).thenCompose(found -> found.filter(p -> !p.addrs().isEmpty())
                .map(host::dial)
                .orElseGet(() -> CompletableFuture.failedFuture(
                    new IllegalStateException("the DHT knows no addresses of " + peer.toBase58()))));
        });
    }

    @FunctionalInterface
    private interface Connect {
        CompletableFuture<Connection> connect(OnionAddress destination);
    }

    private record Named(String name, Connect how) implements Route {
        @Override
        public CompletableFuture<Connection> connect(OnionAddress destination) {
            try {
                return how.connect(destination);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }
}
