package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.kad.PeerConnections;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's live connections: each new one, inbound or dialled, passes the connection gates and
 * the {@link ConnectionLimits}, is then tracked until its channel closes, registered with the DHT's
 * {@link PeerConnections}, shown to the connection listeners and handed on (identify, DCUtR).
 * Once closed, nothing more is admitted.
 */
final class ConnectionAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);

    private final ConnectionLimits limits;
    private final PeerConnections connections;
    private final Consumer<Connection> onAdmitted;
    private final Map<Channel, Connection> live = new ConcurrentHashMap<>();
    private final List<Consumer<Connection>> listeners = new CopyOnWriteArrayList<>();
    private final List<Predicate<Connection>> gates = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ConnectionAdmission(ConnectionLimits limits, PeerConnections connections, Consumer<Connection> onAdmitted) {
        this.limits = Objects.requireNonNull(limits);
        this.connections = Objects.requireNonNull(connections);
        this.onAdmitted = Objects.requireNonNull(onAdmitted);
    }

    int size() {
        return live.size();
    }

    List<Connection> all() {
        return List.copyOf(live.values());
    }

    boolean isClosed() {
        return closed;
    }

    /** The tracked connection whose channel is {@code channel}. */
    Optional<Connection> byChannel(Channel channel) {
        return Optional.ofNullable(live.get(channel));
    }

    /** The tracked connection a stream (or connection) channel belongs to. */
    Optional<Connection> owning(Channel stream) {
        for (Channel c = stream; c != null; c = c.parent()) {
            Connection connection = live.get(c);
            if (connection != null) {
                return Optional.of(connection);
            }
        }
        return Optional.empty();
    }

    Runnable addListener(Consumer<Connection> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    Runnable addGate(Predicate<Connection> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        gates.add(allowed);
        return () -> gates.remove(allowed);
    }

    /** A failed future if a dial to {@code address} would exceed the connection limit, else empty. */
    <T> Optional<CompletableFuture<T>> refuseDial(Multiaddr address) {
        if (live.size() >= limits.maxConnections()) {
            return Optional.of(CompletableFuture.failedFuture(new IOException(
                "connection limit of " + limits.maxConnections() + " reached; not dialling " + address)));
        }
        return Optional.empty();
    }

    /** A dialled connection, tracked; closed with an exception saying why if the limits refuse it. */
    Connection admitDialled(Connection connection) {
        Optional<String> refusal = admit(connection);
        if (refusal.isPresent()) {
            connection.close();
            throw new IllegalStateException(refusal.get());
        }
        return connection;
    }

    /** An accepted connection (direct or relayed): tracked, or closed with the reason logged. */
    void admitInbound(Connection connection) {
        Optional<String> refusal = admit(connection);
        if (refusal.isPresent()) {
            LOG.info("refused {}: {}", connection, refusal.get());
            connection.close();
        }
    }

    /** Tracks {@code connection} if the gates and limits allow, and hands it on; else says why not. */
    private Optional<String> admit(Connection connection) {
        synchronized (live) {
            if (closed) {
                return Optional.of("host closed");
            }
            for (Predicate<Connection> gate : gates) {
                if (!gate.test(connection)) {
                    return Optional.of("refused by a connection gate");
                }
            }
            if (live.size() >= limits.maxConnections()) {
                return Optional.of("connection limit of " + limits.maxConnections() + " reached");
            }
            long toPeer = live.values().stream().filter(c -> c.remotePeer().equals(connection.remotePeer())).count();
            if (toPeer >= limits.maxConnectionsPerPeer()) {
                return Optional.of("per-peer connection limit of " + limits.maxConnectionsPerPeer() + " reached");
            }
            live.put(connection.channel(), connection);
        }
        connection.channel().closeFuture().addListener(f -> live.remove(connection.channel()));
        connections.register(connection);
        for (Consumer<Connection> listener : listeners) {
            try {
                listener.accept(connection);
            } catch (RuntimeException e) {
                LOG.warn("connection listener failed for {}", connection, e);
            }
        }
        onAdmitted.accept(connection);
        return Optional.empty();
    }

    /** Admits nothing from now on; false if that was so already. */
    boolean close() {
        synchronized (live) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }
}
