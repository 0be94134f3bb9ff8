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
import dev.hyphae.transport.tor.TorConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
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
    // Handler threads of each node's client API and federation server (defaults: 8 and 4).
    private static final int HANDLER_THREADS = 2;
    private final int index;
    private final Path dataDir;
    private final List<Multiaddr> bootstrap;
    private final ConnectionLimits limits;
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

    TestnetNode(int index, Path dataDir, List<Multiaddr> bootstrap, int nodes) {
        this.index = index;
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
                TurnSettings.NONE, MailboxSettings.defaults(), new NodeTuning(this::hostConfig, this::watch, HANDLER_THREADS));
        HyphaeNode started = HyphaeNode.start(settings, out);
        clientPort = started.clientAddress().getPort();
        p2pAddress = started.host().addresses().get(0);
        p2pPort = Integer.parseInt(p2pAddress.valueOf(Protocol.TCP).orElseThrow());
        serverName = started.identity().serverName();
        peerId = started.host().peerId();
        node = started;
    }

    /** Every peer shares 127.0.0.1, so the per-IP inbound allowance must let all of them in at once. */
    private HostConfig hostConfig(HostConfig config) {
        return config.withLimits(limits);
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
