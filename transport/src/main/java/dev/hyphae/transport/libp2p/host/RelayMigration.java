package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.kad.PeerConnections;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a peer's traffic off relays (DCUtR spec): a relayed connection this host accepted (the
 * spec's B) starts the hole punch once identify has run on it, and when a direct connection to a
 * peer stands, its relayed connections are ended after a grace period: new streams go direct at
 * once ({@link PeerConnections#existing} prefers direct ones), and the relayed connection says
 * GoAway, so that it closes when its last stream ends.
 */
final class RelayMigration {

    private static final Logger LOG = LoggerFactory.getLogger(RelayMigration.class);

    private final PeerConnections connections;
    private final Function<Connection, CompletableFuture<Connection>> holePunch;
    private final boolean holePunching;
    private final Duration grace;
    private final Map<PeerId, List<CompletableFuture<Connection>>> waiting = new ConcurrentHashMap<>();

    /**
     * @param holePunch runs DCUtR from B's side on a relayed connection
     * @param holePunching whether accepted relayed connections start DCUtR on their own
     * @param grace how long a relayed connection stays open once a direct one stands
     */
    RelayMigration(PeerConnections connections, Function<Connection, CompletableFuture<Connection>> holePunch,
                   boolean holePunching, Duration grace) {
        this.connections = Objects.requireNonNull(connections);
        this.holePunch = Objects.requireNonNull(holePunch);
        this.holePunching = holePunching;
        this.grace = Objects.requireNonNull(grace);
    }

    /** Called for every connection the host admits, with the identify that runs on it. */
    void admitted(Connection connection, CompletableFuture<?> identified) {
        if (!connection.isLimited()) {
            completeWaiting(connection);
            endRelayed(connection.remotePeer());
            return;
        }
        if (!holePunching || connection.isInitiator()) {
            return; // the dialling side (A) answers B's DCUtR stream; it does not start one
        }
        identified.handle((m, e) -> null).thenRun(() -> {
            if (!connection.channel().isActive() || direct(connection.remotePeer()).isPresent()) {
                return;
            }
            holePunch.apply(connection).whenComplete((direct, e) -> {
                if (e != null) {
                    LOG.info("hole punch to {} failed; staying relayed: {}", connection.remotePeer(), e.getMessage());
                } else {
                    LOG.info("hole punch to {} succeeded: {}", connection.remotePeer(), direct);
                }
            });
        });
    }

    /** Completes with a direct connection to {@code peer}: a live one, or the next one admitted. */
    CompletableFuture<Connection> nextDirect(PeerId peer) {
        CompletableFuture<Connection> next = new CompletableFuture<>();
        waiting.compute(peer, (p, list) -> {
            List<CompletableFuture<Connection>> more = list == null ? new ArrayList<>() : new ArrayList<>(list);
            more.add(next);
            return more;
        });
        next.whenComplete((c, e) -> waiting.computeIfPresent(peer, (p, list) -> {
            List<CompletableFuture<Connection>> fewer = new ArrayList<>(list);
            fewer.remove(next);
            return fewer.isEmpty() ? null : fewer;
        }));
        direct(peer).ifPresent(next::complete);
        return next;
    }

    private Optional<Connection> direct(PeerId peer) {
        return connections.unlimitedOnly().existing(peer);
    }

    private void completeWaiting(Connection direct) {
        List<CompletableFuture<Connection>> list = waiting.get(direct.remotePeer());
        if (list != null) {
            for (CompletableFuture<Connection> f : List.copyOf(list)) {
                f.complete(direct);
            }
        }
    }

    private void endRelayed(PeerId peer) {
        for (Connection relayed : connections.all(peer)) {
            if (!relayed.isLimited()) {
                continue;
            }
            relayed.channel().eventLoop().schedule(() -> {
                if (relayed.channel().isActive() && direct(peer).isPresent()) {
                    LOG.debug("moving {} to its direct connection; the relayed one goes away", peer);
                    relayed.muxedSession().goAway();
                }
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
