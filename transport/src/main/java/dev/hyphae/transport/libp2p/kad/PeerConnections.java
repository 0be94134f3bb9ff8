package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live connections by remote peer and by channel, and dialling of peers there is none to. The
 * node registers every upgraded connection (inbound and outbound) here; streams the remote opens
 * are attributed to their peer through their connection's channel. A direct connection to a peer
 * is preferred over a limited (relayed) one. The view the DHT uses ({@link #unlimitedOnly()})
 * neither uses limited connections nor dials circuit addresses, as heavy protocols do not run over
 * relays (circuit v2). Thread-safe.
 */
public final class PeerConnections {

    private final Function<Multiaddr, CompletableFuture<Connection>> dialer;
    private final Map<PeerId, List<Connection>> byPeer;
    private final Map<Channel, Connection> byChannel;
    private final Map<PeerId, CompletableFuture<Connection>> dialling = new ConcurrentHashMap<>();
    private final boolean unlimitedOnly;

    /** @param dialer dials an address ending in {@code /p2p/<id>} (e.g. {@code TcpTransport::dial}) */
    public PeerConnections(Function<Multiaddr, CompletableFuture<Connection>> dialer) {
        this(dialer, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), false);
    }

    private PeerConnections(Function<Multiaddr, CompletableFuture<Connection>> dialer,
                            Map<PeerId, List<Connection>> byPeer, Map<Channel, Connection> byChannel,
                            boolean unlimitedOnly) {
        this.dialer = dialer;
        this.byPeer = byPeer;
        this.byChannel = byChannel;
        this.unlimitedOnly = unlimitedOnly;
    }

    /**
     * The same connections, seen without the limited ones: {@link #existing} and {@link #connect}
     * return only direct connections and dial only addresses that are not circuits.
     */
    public PeerConnections unlimitedOnly() {
        return unlimitedOnly ? this : new PeerConnections(dialer, byPeer, byChannel, true);
    }

    /** Tracks {@code connection} until it closes. */
    public void register(Connection connection) {
        if (byChannel.putIfAbsent(connection.channel(), connection) != null) {
            return;
        }
        byPeer.compute(connection.remotePeer(), (p, list) -> {
            List<Connection> more = list == null ? new ArrayList<>() : new ArrayList<>(list);
            more.add(connection);
            return List.copyOf(more);
        });
        connection.channel().closeFuture().addListener(f -> {
            byChannel.remove(connection.channel());
            byPeer.computeIfPresent(connection.remotePeer(), (p, list) -> {
                List<Connection> fewer = new ArrayList<>(list);
                fewer.remove(connection);
                return fewer.isEmpty() ? null : List.copyOf(fewer);
            });
        });
    }

    /** The peer at the other end of {@code channel}: a registered connection or one of its streams. */
    public Optional<PeerId> remotePeerOf(Channel channel) {
        for (Channel c = channel; c != null; c = c.parent()) {
            Connection connection = byChannel.get(c);
            if (connection != null) {
                return Optional.of(connection.remotePeer());
            }
        }
        return Optional.empty();
    }

    /** A live connection to {@code peer}: a direct one if there is one, else (unless {@link #unlimitedOnly()}) a limited one. */
    public Optional<Connection> existing(PeerId peer) {
        List<Connection> all = byPeer.getOrDefault(peer, List.of());
        Optional<Connection> direct = all.stream().filter(c -> !c.isLimited() && c.channel().isActive()).findFirst();
        if (direct.isPresent() || unlimitedOnly) {
            return direct;
        }
        return all.stream().filter(c -> c.channel().isActive()).findFirst();
    }

    /** Every live connection to {@code peer}, direct and limited. */
    public List<Connection> all(PeerId peer) {
        return byPeer.getOrDefault(peer, List.of()).stream().filter(c -> c.channel().isActive()).toList();
    }

    /** A live connection to {@code peer}: an existing one, or one dialled at its addresses in turn. */
    public CompletableFuture<Connection> connect(KadPeer peer) {
        Optional<Connection> live = existing(peer.id());
        if (live.isPresent()) {
            return CompletableFuture.completedFuture(live.get());
        }
        List<Multiaddr> targets = new ArrayList<>();
        Multiaddr p2p = Multiaddr.parse("/p2p/" + peer.id().toBase58());
        for (Multiaddr a : peer.addrs()) {
            if (!unlimitedOnly || !Connection.isCircuit(a)) {
                targets.add(a.withoutPeerId().encapsulate(p2p));
            }
        }
        CompletableFuture<Connection> fresh = new CompletableFuture<>();
        CompletableFuture<Connection> pending = dialling.putIfAbsent(peer.id(), fresh);
        if (pending != null) {
            return pending;
        }
        fresh.whenComplete((c, e) -> dialling.remove(peer.id(), fresh));
        dialNext(targets, 0, fresh, new IOException("no address of " + peer.id() + " could be dialled"));
        return fresh;
    }

    private void dialNext(List<Multiaddr> targets, int index, CompletableFuture<Connection> result, IOException failure) {
        if (index >= targets.size()) {
            result.completeExceptionally(failure);
            return;
        }
        CompletableFuture<Connection> attempt;
        try {
            attempt = dialer.apply(targets.get(index));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            dialNext(targets, index + 1, result, failure);
            return;
        }
        attempt.whenComplete((connection, error) -> {
            if (error == null) {
                register(connection);
                result.complete(connection);
            } else {
                failure.addSuppressed(error);
                dialNext(targets, index + 1, result, failure);
            }
        });
    }
}
