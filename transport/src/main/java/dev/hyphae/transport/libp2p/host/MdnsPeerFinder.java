package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.mdns.DiscoveredPeer;
import dev.hyphae.transport.libp2p.mdns.MdnsConfig;
import dev.hyphae.transport.libp2p.mdns.MdnsDiscovery;
import dev.hyphae.transport.libp2p.mdns.MdnsInterface;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's mDNS discovery: runs {@link MdnsDiscovery} on the local network, adds the peers it
 * finds to the {@link PeerStore} and, when {@link MdnsConfig#dialDiscovered()}, dials them.
 */
final class MdnsPeerFinder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MdnsPeerFinder.class);
    private static final Duration DISCOVERED_DIAL_DELAY = Duration.ofSeconds(3);

    private final MdnsConfig config;
    private final PeerId self;
    private final PeerStore peerStore;
    private final Function<PeerId, Optional<Connection>> connection;
    private final Function<PeerId, CompletableFuture<Connection>> dial;
    private final EventLoopGroup group;
    private final Set<PeerId> dialling = ConcurrentHashMap.newKeySet();
    private final MdnsDiscovery discovery;
    private volatile boolean closed;

    private MdnsPeerFinder(MdnsConfig config, NetworkInterface networkInterface, PeerId self,
                           Supplier<List<Multiaddr>> addresses, PeerStore peerStore,
                           Function<PeerId, Optional<Connection>> connection,
                           Function<PeerId, CompletableFuture<Connection>> dial, EventLoopGroup group) {
        this.config = config;
        this.self = self;
        this.peerStore = peerStore;
        this.connection = connection;
        this.dial = dial;
        this.group = group;
        this.discovery = new MdnsDiscovery(config, networkInterface, self, addresses, this::discovered, group);
    }

    /**
     * Starts discovery on the configured interface, else the one the listen addresses are on.
     * Empty if it could not start: discovery on the LAN is a convenience, the node works without it.
     *
     * @param addresses what to announce, each ending in {@code /p2p/<id>}
     */
    static Optional<MdnsPeerFinder> start(MdnsConfig config, List<Multiaddr> listenAddrs, PeerId self,
                                          Supplier<List<Multiaddr>> addresses, PeerStore peerStore,
                                          Function<PeerId, Optional<Connection>> connection,
                                          Function<PeerId, CompletableFuture<Connection>> dial, EventLoopGroup group) {
        Objects.requireNonNull(config, "config");
        try {
            NetworkInterface networkInterface = config.interfaceName().isPresent()
                ? MdnsInterface.named(config.interfaceName().get())
                : MdnsInterface.forListenAddresses(listenAddrs);
            MdnsPeerFinder finder = new MdnsPeerFinder(config, networkInterface, self, addresses, peerStore,
                connection, dial, group);
            finder.discovery.start();
            return Optional.of(finder);
        } catch (IOException e) {
            LOG.warn("mDNS discovery not started: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Tells the local network this host's addresses now, unasked. */
    void announce() {
        discovery.announce();
    }

    private void discovered(DiscoveredPeer found) {
        peerStore.addAddresses(found.peerId(), found.addrs(), found.ttl());
        if (!config.dialDiscovered() || closed) {
            return;
        }
        // Two nodes hear each other at the same moment; if both dialled, each pair would hold two
        // connections. The node with the smaller peer ID dials at once, the other only if it is
        // still unconnected a while later (the remote may not dial at all, like js does not wait).
        if (Arrays.compareUnsigned(self.toBytes(), found.peerId().toBytes()) < 0) {
            dialDiscovered(found.peerId());
        } else {
            group.schedule(() -> dialDiscovered(found.peerId()), DISCOVERED_DIAL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void dialDiscovered(PeerId peer) {
        if (closed || connection.apply(peer).isPresent() || !dialling.add(peer)) {
            return;
        }
        dial.apply(peer).whenComplete((c, e) -> {
            dialling.remove(peer);
            if (e != null) {
                LOG.debug("dialling {} found by mDNS failed: {}", peer, e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        discovery.close();
    }
}
