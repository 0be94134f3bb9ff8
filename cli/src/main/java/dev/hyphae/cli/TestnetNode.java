package dev.hyphae.cli;

import dev.hyphae.node.client.TurnSettings;
import dev.hyphae.node.mailbox.MailboxSettings;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.ConnectionLimits;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import dev.hyphae.transport.tor.TorConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * One node of a test network: started in this process on loopback with Tor and mDNS off, stopped
 * and started again on the same ports (churn), and cut from the peers on the other side of a
 * partition by a connection gate on its libp2p host.
 */
final class TestnetNode {
    // Federation handlers keep their default (4 a node): a handler that fetches missing events
    // blocks on a request to another node, and with 2 a node, nodes waiting on each other's
    // handlers stalled until the request timed out (measured at 30 nodes). For the same reason
    // federation requests keep their 30 s timeout: a longer one made those stalls last longer.
    // Client API handlers are shared (SharedResources).
    private static final int HANDLER_THREADS = 0;
    // A hundred nodes on two busy cores can leave a connection unserved for tens of seconds: the
    // defaults (10 s to negotiate a stream, 30 s for a keep-alive ping) would then close
    // connections and fail joins that would have succeeded.
    private static final Duration HOST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(120);
    private static final int READ_CONNECTIONS = 2;
    // Every node is given every other node's address (learnAddresses), so the periodic DHT refresh
    // finds nothing new; nodes started together refresh together, and a hundred refreshes at the
    // ten-minute mark were measured holding 40,000 streams and 230,000 lookup candidates at once.
    private static final Duration DHT_REFRESH = Duration.ofDays(1);
    private static final Duration ADDRESS_TTL = Duration.ofDays(1);
    private final int index;
    private final Path dataDir;
    private final List<Multiaddr> bootstrap;
    private final ConnectionLimits limits;
    private final SharedResources shared;
    private final WireCounter wire = new WireCounter();
    // Peers this node may not reach while the network is partitioned.
    private final Set<PeerId> cutFrom = ConcurrentHashMap.newKeySet();
    private final Predicate<Connection> gate = connection -> !cutFrom.contains(connection.remotePeer());
    private volatile HyphaeNode node;
    private int clientPort;
    private int p2pPort;
    private String serverName;
    private PeerId peerId;
    private Multiaddr p2pAddress;

    TestnetNode(int index, Path dataDir, List<Multiaddr> bootstrap, int nodes, SharedResources shared) {
        this.index = index;
        this.shared = shared;
        this.dataDir = dataDir;
        this.bootstrap = List.copyOf(bootstrap);
        this.limits = new ConnectionLimits(Math.max(200, 4 * nodes), 2, 4 * nodes, nodes);
    }

    /** Starts the node: on free ports the first time, on the same ports again after {@link #stop()}. */
    synchronized void start(PrintWriter out) {
        if (node != null) {
            throw new IllegalStateException("node " + index + " is already running");
        }
        NodeSettings settings = new NodeSettings(dataDir, new InetSocketAddress("127.0.0.1", clientPort), true,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + p2pPort)), bootstrap, Optional.empty(),
                NodeSettings.TorMode.OFF, TorConfig.defaults(dataDir.resolve("tor")), Optional.empty(), true, List.of(),
                TurnSettings.NONE, MailboxSettings.defaults(), tuning());
        HyphaeNode started = HyphaeNode.start(settings, out);
        clientPort = started.clientAddress().getPort();
        p2pAddress = started.host().addresses().get(0);
        p2pPort = Integer.parseInt(p2pAddress.valueOf(Protocol.TCP).orElseThrow());
        serverName = started.identity().serverName();
        peerId = started.host().peerId();
        node = started;
    }

    private NodeTuning tuning() {
        YamuxConfig yamux = YamuxConfig.defaults();
        return new NodeTuning(this::hostConfig, this::watch, HANDLER_THREADS,
                new YamuxConfig(yamux.maxWindow(), yamux.maxInboundStreams(), yamux.maxAckBacklog(),
                        yamux.maxFrameData(), KEEP_ALIVE, yamux.streamCloseTimeout(), yamux.nanoClock()),
                READ_CONNECTIONS, Optional.of(shared), false);
    }

    /**
     * Every peer shares 127.0.0.1, so the per-IP inbound allowance must let all of them in at once;
     * streams, dials and identify get the longer timeout of a crowded process; the DHT is not
     * refreshed.
     */
    private static HostConfig hostConfig(HostConfig config, ConnectionLimits limits) {
        return new HostConfig(config.listenAddrs(), config.bootstrapPeers(), config.kad(), limits,
                DHT_REFRESH, HOST_TIMEOUT, config.agentVersion(), config.eventLoopThreads(),
                config.relays(), config.relayService(), config.announceAddrs(), config.mdns(), config.holePunching());
    }

    private HostConfig hostConfig(HostConfig config) {
        return hostConfig(config, limits);
    }

    /** Counts the host's bytes and enforces the partition on every connection it admits. */
    private void watch(Libp2pHost host) {
        host.addConnectionGate(gate);
        host.addConnectionListener(connection -> connection.channel().pipeline().addFirst(WireCounter.NAME, wire));
    }

    /** Stops the node as a crash would not: cleanly, its store closed; its data directory stays. */
    synchronized void stop() {
        HyphaeNode running = node;
        node = null;
        if (running != null) {
            running.close();
        }
    }

    boolean running() {
        return node != null;
    }

    int index() {
        return index;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + clientPort);
    }

    String serverName() {
        return serverName;
    }

    PeerId peerId() {
        return peerId;
    }

    Multiaddr p2pAddress() {
        return p2pAddress;
    }

    /** Bytes this node's libp2p connections sent, since the first start. */
    long bytesSent() {
        return wire.sent();
    }

    long bytesReceived() {
        return wire.received();
    }

    /** From now on refuses connections with {@code peers} and closes those open now. */
    void cut(Set<PeerId> peers) {
        cutFrom.addAll(peers);
        HyphaeNode running = node;
        if (running == null) {
            return;
        }
        for (PeerId peer : peers) {
            for (Optional<Connection> open = running.host().connection(peer); open.isPresent();
                    open = running.host().connection(peer)) {
                open.get().close().awaitUninterruptibly();
            }
        }
    }

    /**
     * Puts the libp2p addresses of {@code others} into this node's peer store, as invite links
     * carrying each node's address would: federation then dials a room's members directly instead
     * of first finding each through the DHT, which on a crowded process took longer than the
     * senders' backoff allowed (transactions failed with "no route", then waited minutes).
     */
    void learnAddresses(List<TestnetNode> others) {
        HyphaeNode running = node;
        if (running == null) {
            return;
        }
        for (TestnetNode other : others) {
            if (other != this && other.p2pAddress != null) {
                running.host().peerStore().addAddresses(other.peerId, List.of(other.p2pAddress.withoutPeerId()),
                        ADDRESS_TTL);
            }
        }
    }

    /** Lets every peer in again. */
    void heal() {
        cutFrom.clear();
    }

    /**
     * Dials {@code address}, as a user does who follows an invite link carrying the node's libp2p
     * address; the connection's identify puts the peer into the peer store. Failures are ignored:
     * the join that follows reports them.
     */
    CompletableFuture<Void> connect(Multiaddr address) {
        HyphaeNode running = node;
        if (running == null) {
            return CompletableFuture.completedFuture(null);
        }
        return running.host().dial(address).handle((connection, failure) -> null);
    }

    /**
     * Dials {@code peers}, as a host does when its links come back: the connection tells each side's
     * federation sender to deliver its queue now instead of after its backoff.
     */
    CompletableFuture<Void> reconnect(List<PeerId> peers) {
        HyphaeNode running = node;
        if (running == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?>[] dials = peers.stream()
                .map(peer -> running.host().dial(peer).handle((connection, failure) -> null))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(dials);
    }
}
