package dev.hyphae.transport.libp2p.relay;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.MultiaddrException;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.relay.proto.HolePunchProto.HolePunch;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct Connection Upgrade through Relay ({@code /libp2p/dcutr}, relay/DCUtR spec): over a
 * relayed connection both peers swap their addresses (CONNECT), the side that accepted the
 * relayed connection measures the round trip and sends SYNC, and then both dial each other
 * directly, the SYNC receiver at once and the sender after half the round trip, so that TCP
 * simultaneous open can pass NATs. Only TCP addresses are tried.
 *
 * <p>The dials come from ephemeral ports, not from the listen port (no {@code SO_REUSEPORT}), so
 * this reaches peers whose addresses are directly dialable and does not yet punch through NATs
 * that need the listen port's mapping.
 */
public final class DirectUpgrade {

    public static final String ID = "/libp2p/dcutr";
    /** The spec's attempts for the inbound side: one and two retries. */
    static final int ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(DirectUpgrade.class);

    private final Function<Multiaddr, CompletableFuture<Connection>> directDial;
    private final Supplier<List<Multiaddr>> ownAddrs;
    private final Function<Channel, Optional<Connection>> connectionOf;
    private final Duration timeout;

    /**
     * @param directDial dials a TCP address ending in {@code /p2p/<peer>}, never reusing a relayed connection
     * @param ownAddrs this node's direct (non-circuit) addresses to offer, without {@code /p2p/}
     * @param connectionOf the live connection whose channel is the given one
     */
    public DirectUpgrade(Function<Multiaddr, CompletableFuture<Connection>> directDial,
                         Supplier<List<Multiaddr>> ownAddrs, Function<Channel, Optional<Connection>> connectionOf,
                         Duration timeout) {
        this.directDial = Objects.requireNonNull(directDial);
        this.ownAddrs = Objects.requireNonNull(ownAddrs);
        this.connectionOf = Objects.requireNonNull(connectionOf);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /**
     * Runs the upgrade from the side that accepted {@code relayed} (the spec's B), trying up to
     * three times; completes with the direct connection.
     */
    public CompletableFuture<Connection> upgrade(Connection relayed) {
        if (!RelayProtocol.isCircuit(relayed.remoteAddress())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a relayed connection: " + relayed));
        }
        return attempt(relayed, 1);
    }

    private CompletableFuture<Connection> attempt(Connection relayed, int n) {
        return once(relayed).handle((direct, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(direct);
            }
            if (n >= ATTEMPTS || !relayed.channel().isActive()) {
                return CompletableFuture.<Connection>failedFuture(e);
            }
            LOG.debug("direct upgrade attempt {} to {} failed: {}", n, relayed.remotePeer(), e.getMessage());
            return attempt(relayed, n + 1);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Connection> once(Connection relayed) {
        CompletableFuture<List<Multiaddr>> theirs = new CompletableFuture<>();
        CompletableFuture<Long> rttNanos = new CompletableFuture<>();
        relayed.openStream(ID, (ctx, protocol) -> {
            long sent = System.nanoTime();
            ctx.pipeline().addAfter(ctx.name(), "dcutr", reader((c, connect) -> {
                if (connect.getType() != HolePunch.Type.CONNECT) {
                    theirs.completeExceptionally(new RelayException("expected CONNECT, got " + connect.getType()));
                    c.close();
                    return;
                }
                rttNanos.complete(System.nanoTime() - sent);
                theirs.complete(addrs(connect));
                c.writeAndFlush(RelayProtocol.frame(c.alloc(), HolePunch.newBuilder()
                    .setType(HolePunch.Type.SYNC).build())).addListener(f -> c.close());
            }, theirs));
            ctx.channel().writeAndFlush(RelayProtocol.frame(ctx.alloc(), connect()));
        }).exceptionally(e -> {
            theirs.completeExceptionally(e);
            return null;
        });
        return theirs.thenCompose(addrs -> {
            CompletableFuture<Void> halfRtt = new CompletableFuture<>();
            relayed.channel().eventLoop().schedule(() -> halfRtt.complete(null),
                rttNanos.join() / 2, TimeUnit.NANOSECONDS);
            return halfRtt.thenCompose(v -> dialAny(relayed.remotePeer(), addrs));
        });
    }

    /** The handler of the side that dialled through the relay (the spec's A). */
    public ProtocolSelected handler() {
        return (ctx, protocol) -> {
            CompletableFuture<List<Multiaddr>> failure = new CompletableFuture<>();
            failure.whenComplete((v, e) -> LOG.debug("dcutr stream on {}: {}", ctx.channel(),
                e == null ? "ended" : e.getMessage()));
            ctx.pipeline().addAfter(ctx.name(), "dcutr", reader((c, connect) -> {
                if (connect.getType() != HolePunch.Type.CONNECT) {
                    c.close();
                    return;
                }
                List<Multiaddr> theirs = addrs(connect);
                c.writeAndFlush(RelayProtocol.frame(c.alloc(), connect()));
                c.pipeline().addAfter(c.name(), "dcutr-sync", reader((s, sync) -> {
                    s.close();
                    if (sync.getType() != HolePunch.Type.SYNC) {
                        return;
                    }
                    Optional<Connection> relayed = Optional.ofNullable(s.channel().parent()).flatMap(connectionOf);
                    if (relayed.isEmpty()) {
                        return;
                    }
                    dialAny(relayed.get().remotePeer(), theirs).whenComplete((direct, e) ->
                        LOG.debug("direct dial after SYNC: {}", e == null ? direct : e.getMessage()));
                }, failure));
            }, failure));
        };
    }

    private CompletableFuture<Connection> dialAny(PeerId peer, List<Multiaddr> addrs) {
        if (addrs.isEmpty()) {
            return CompletableFuture.failedFuture(new RelayException(peer + " offered no direct addresses"));
        }
        Multiaddr p2p = Multiaddr.parse("/p2p/" + peer.toBase58());
        CompletableFuture<Connection> result = new CompletableFuture<>();
        List<Throwable> errors = new ArrayList<>();
        for (Multiaddr addr : addrs) {
            directDial.apply(addr.encapsulate(p2p)).whenComplete((c, e) -> {
                synchronized (errors) {
                    if (e == null) {
                        if (!result.complete(c)) {
                            LOG.debug("extra direct connection {} kept", c);
                        }
                        return;
                    }
                    errors.add(e);
                    if (errors.size() == addrs.size()) {
                        result.completeExceptionally(new RelayException("no direct address of " + peer
                            + " answered: " + errors.get(0).getMessage()));
                    }
                }
            });
        }
        return result;
    }

    private HolePunch connect() {
        HolePunch.Builder m = HolePunch.newBuilder().setType(HolePunch.Type.CONNECT);
        for (Multiaddr a : ownAddrs.get()) {
            if (!RelayProtocol.isCircuit(a)) {
                m.addObsAddrs(ByteString.copyFrom(a.withoutPeerId().toBytes()));
            }
        }
        return m.build();
    }

    /** The TCP addresses among those offered, without any {@code /p2p/} suffix. */
    private static List<Multiaddr> addrs(HolePunch message) {
        List<Multiaddr> out = new ArrayList<>();
        for (ByteString bytes : message.getObsAddrsList()) {
            try {
                Multiaddr a = Multiaddr.fromBytes(bytes.toByteArray()).withoutPeerId();
                if (!RelayProtocol.isCircuit(a) && a.components().size() == 2
                    && a.components().get(1).protocol() == Protocol.TCP) {
                    out.add(a);
                }
            } catch (MultiaddrException e) {
                LOG.debug("unusable address in dcutr CONNECT: {}", e.getMessage());
            }
        }
        return out;
    }

    private RelayMessageReader<HolePunch> reader(BiConsumer<ChannelHandlerContext, HolePunch> onMessage,
                                                 CompletableFuture<?> onFailure) {
        return new RelayMessageReader<>(HolePunch::parseFrom, new RelayMessageReader.Handler<>() {
            @Override
            public void onMessage(ChannelHandlerContext ctx, HolePunch message) {
                onMessage.accept(ctx, message);
            }

            @Override
            public void onFailure(ChannelHandlerContext ctx, String reason, boolean malformed) {
                onFailure.completeExceptionally(new RelayException("dcutr: " + reason));
                ctx.close();
            }
        }, timeout);
    }
}
