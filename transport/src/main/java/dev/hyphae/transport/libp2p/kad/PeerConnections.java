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
 * The live connections the DHT may use, by remote peer and by channel, and dialling of peers it
 * has none to. The node registers every upgraded connection (inbound and outbound) here; streams
 * the remote opens are attributed to their peer through their connection's channel. Thread-safe.
 */
public final class PeerConnections {

    private final Function<Multiaddr, CompletableFuture<Connection>> dialer;
    private final Map<PeerId, Connection> byPeer = new ConcurrentHashMap<>();
    private final Map<Channel, Connection> byChannel = new ConcurrentHashMap<>();
    private final Map<PeerId, CompletableFuture<Connection>> dialling = new ConcurrentHashMap<>();

    /** @param dialer dials an address ending in {@code /p2p/<id>} (e.g. {@code TcpTransport::dial}) */
    public PeerConnections(Function<Multiaddr, CompletableFuture<Connection>> dialer) {
        this.dialer = dialer;
    }

    /** Tracks {@code connection} until it closes. */
    public void register(Connection connection) {
        byChannel.put(connection.channel(), connection);
        byPeer.put(connection.remotePeer(), connection);
        connection.channel().closeFuture().addListener(f -> {
            byChannel.remove(connection.channel());
            byPeer.remove(connection.remotePeer(), connection);
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

    public Optional<Connection> existing(PeerId peer) {
        Connection c = byPeer.get(peer);
        return c != null && c.channel().isActive() ? Optional.of(c) : Optional.empty();
    }

    /** A live connection to {@code peer}: an existing one, or one dialled at its addresses in turn. */
    public CompletableFuture<Connection> connect(KadPeer peer) {
        Optional<Connection> live = existing(peer.id());
        if (live.isPresent()) {
            return CompletableFuture.completedFuture(live.get());
        }
        CompletableFuture<Connection> fresh = new CompletableFuture<>();
        CompletableFuture<Connection> pending = dialling.putIfAbsent(peer.id(), fresh);
        if (pending != null) {
            return pending;
        }
        fresh.whenComplete((c, e) -> dialling.remove(peer.id(), fresh));
        List<Multiaddr> targets = new ArrayList<>();
        Multiaddr p2p = Multiaddr.parse("/p2p/" + peer.id().toBase58());
        for (Multiaddr a : peer.addrs()) {
            targets.add(a.withoutPeerId().encapsulate(p2p));
        }
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
