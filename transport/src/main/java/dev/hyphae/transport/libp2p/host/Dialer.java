package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.TcpTransport;
import dev.hyphae.transport.libp2p.kad.PeerConnections;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.relay.RelayClient;
import dev.hyphae.transport.libp2p.relay.RelayProtocol;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The host's outbound connections: TCP addresses through the transport, circuit addresses through
 * the relay they name, and hole-punch dials for DCUtR; every new connection passes
 * {@link ConnectionAdmission} before anyone gets it. Until {@link #started} it refuses to dial.
 */
final class Dialer {

    private final PeerConnections connections;
    private final ConnectionAdmission admission;
    private final Function<PeerId, CompletableFuture<Connection>> dialPeer;
    private volatile TcpTransport transport;
    private volatile RelayClient relayClient;

    /**
     * @param dialPeer dials a peer by id (a live connection, its known addresses or the DHT's), for
     *     circuit addresses whose relay part is only {@code /p2p/<relay>}
     */
    Dialer(PeerConnections connections, ConnectionAdmission admission,
           Function<PeerId, CompletableFuture<Connection>> dialPeer) {
        this.connections = Objects.requireNonNull(connections);
        this.admission = Objects.requireNonNull(admission);
        this.dialPeer = Objects.requireNonNull(dialPeer);
    }

    void started(TcpTransport transport, RelayClient relayClient) {
        this.transport = Objects.requireNonNull(transport);
        this.relayClient = Objects.requireNonNull(relayClient);
    }

    /** See {@link Libp2pHost#dial(Multiaddr)}. */
    public CompletableFuture<Connection> dial(Multiaddr address) {
        Optional<PeerId> named;
        try {
            named = RelayProtocol.isCircuit(address)
                ? Optional.of(PeerId.parse(RelayProtocol.parseCircuit(address).target()))
                : address.valueOf(Protocol.P2P).map(PeerId::parse);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        // a direct address asks for a direct connection: a relayed one to the peer does not answer it
        PeerConnections reusable = RelayProtocol.isCircuit(address) ? connections : connections.unlimitedOnly();
        Optional<Connection> existing = named.flatMap(reusable::existing);
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(existing.get());
        }
        return dialAddress(address);
    }

    /** Dials {@code address} without looking for a live connection first. */
    CompletableFuture<Connection> dialAddress(Multiaddr address) {
        if (RelayProtocol.isCircuit(address)) {
            return dialCircuit(address);
        }
        Optional<CompletableFuture<Connection>> refused = admission.refuseDial(address);
        if (refused.isPresent()) {
            return refused.get();
        }
        TcpTransport t = transport;
        if (t == null || admission.isClosed()) {
            return notRunning();
        }
        return t.dial(address).thenApply(admission::admitDialled);
    }

    /** Dials for a hole punch (DCUtR) from the listen port; see {@link TcpTransport#dialHolePunch}. */
    CompletableFuture<Connection> dialHolePunch(Multiaddr address, boolean client, Duration roleWait) {
        TcpTransport t = transport;
        if (t == null || admission.isClosed()) {
            return notRunning();
        }
        return admission.<Connection>refuseDial(address)
            .orElseGet(() -> t.dialHolePunch(address, client, roleWait).thenApply(admission::admitDialled));
    }

    /** Dials the relay an address names (or reuses a connection to it), then the target through it. */
    private CompletableFuture<Connection> dialCircuit(Multiaddr address) {
        RelayProtocol.CircuitAddress circuit;
        PeerId target;
        try {
            circuit = RelayProtocol.parseCircuit(address);
            target = PeerId.parse(circuit.target());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        RelayClient client = relayClient;
        if (client == null || admission.isClosed()) {
            return notRunning();
        }
        Optional<CompletableFuture<Connection>> refused = admission.refuseDial(address);
        if (refused.isPresent()) {
            return refused.get();
        }
        boolean peerIdOnly = circuit.relay().components().size() == 1;
        CompletableFuture<Connection> relay = peerIdOnly
            ? dialPeer.apply(PeerId.parse(circuit.relay().components().get(0).valueText()))
            : dial(circuit.relay());
        return relay.thenCompose(r -> client.connect(r, target)).thenApply(admission::admitDialled);
    }

    /** A failed future saying the host is closed or not started yet. */
    <T> CompletableFuture<T> notRunning() {
        return CompletableFuture.failedFuture(new IllegalStateException(
            admission.isClosed() ? "host closed" : "host not started"));
    }
}
