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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * relayed connection (B) measures the round trip and sends SYNC, and then both dial each other
 * directly, the SYNC receiver (A) at once and B after half the round trip, so that the two dials
 * meet in a TCP simultaneous open through both NATs. Only TCP addresses are tried.
 *
 * <p>The dials leave from the listen port ({@link HolePunchDialer}), and the addresses offered are
 * those peers observed (identify) before the listen addresses, so that each side dials the NAT
 * mapping of the other's listen port. On the wire A is the client and B the server of the direct
 * connection, whichever way the TCP handshake went.
 */
public final class DirectUpgrade {

    public static final String ID = "/libp2p/dcutr";
    /** The spec's attempts for the inbound side: one and two retries. */
    static final int ATTEMPTS = 3;
    /** How long B waits for a connection A dialled to land, when B's own dial found the four-tuple taken. */
    private static final Duration LANDING = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(DirectUpgrade.class);

    /** Dials for a hole punch: from the listen port, as DCUtR client (A) or server (B). */
    @FunctionalInterface
    public interface HolePunchDialer {
        /**
         * @param address a TCP address ending in {@code /p2p/<peer>}
         * @param client whether this side is the spec's A, the client of the direct connection
         * @param roleWait how long B waits for A to speak first before taking the initiator's role
         */
        CompletableFuture<Connection> dial(Multiaddr address, boolean client, Duration roleWait);
    }

    private final HolePunchDialer directDial;
    private final Supplier<List<Multiaddr>> ownAddrs;
    private final Function<Channel, Optional<Connection>> connectionOf;
    private final Function<PeerId, CompletableFuture<Connection>> nextDirect;
    private final Duration timeout;
    private final Map<Channel, CompletableFuture<Connection>> running = new ConcurrentHashMap<>();

    /**
     * @param directDial dials a TCP address for the hole punch, never reusing a relayed connection
     * @param ownAddrs this node's direct (non-circuit) addresses to offer, observed ones first, without {@code /p2p/}
     * @param connectionOf the live connection whose channel is the given one
     * @param nextDirect completes with a direct connection to the peer once one is admitted (or at once if there is one),
     *     so that a connection the peer's dial brought in counts as success too
     */
    public DirectUpgrade(HolePunchDialer directDial, Supplier<List<Multiaddr>> ownAddrs,
                         Function<Channel, Optional<Connection>> connectionOf,
                         Function<PeerId, CompletableFuture<Connection>> nextDirect, Duration timeout) {
        this.directDial = Objects.requireNonNull(directDial);
        this.ownAddrs = Objects.requireNonNull(ownAddrs);
        this.connectionOf = Objects.requireNonNull(connectionOf);
        this.nextDirect = Objects.requireNonNull(nextDirect);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /**
     * Runs the upgrade from the side that accepted {@code relayed} (the spec's B), trying up to
     * three times; completes with the direct connection. While an upgrade of {@code relayed} runs,
     * a second call joins it.
     */
    public CompletableFuture<Connection> upgrade(Connection relayed) {
        if (!RelayProtocol.isCircuit(relayed.remoteAddress())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a relayed connection: " + relayed));
        }
        CompletableFuture<Connection> fresh = new CompletableFuture<>();
        CompletableFuture<Connection> already = running.putIfAbsent(relayed.channel(), fresh);
        if (already != null) {
            return already;
        }
        fresh.whenComplete((c, e) -> running.remove(relayed.channel(), fresh));
        attempt(relayed, 1).whenComplete((c, e) -> {
            if (e != null) {
                fresh.completeExceptionally(e);
            } else {
                fresh.complete(c);
            }
        });
        return fresh;
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
            long rtt = rttNanos.join();
            CompletableFuture<Void> halfRtt = new CompletableFuture<>();
            relayed.channel().eventLoop().schedule(() -> halfRtt.complete(null), rtt / 2, TimeUnit.NANOSECONDS);
            // A speaks first on a simultaneous open within about one direct round trip, at most the relayed one
            Duration roleWait = Duration.ofNanos(Math.min(Math.max(2 * rtt, 200_000_000L), 2_000_000_000L));
            return halfRtt.thenCompose(v -> directOrLanded(relayed, addrs, roleWait));
        });
    }

    /**
     * B's dials, or the connection A's dial brought to B's listener: when A's SYN reached the
     * listener first, B's own dial finds the four-tuple taken and fails, yet the upgrade succeeded.
     */
    private CompletableFuture<Connection> directOrLanded(Connection relayed, List<Multiaddr> addrs, Duration roleWait) {
        CompletableFuture<Connection> direct = new CompletableFuture<>();
        CompletableFuture<Connection> landed = nextDirect.apply(relayed.remotePeer());
        landed.thenAccept(direct::complete);
        dialAny(relayed.remotePeer(), addrs, false, roleWait).whenComplete((c, e) -> {
            if (e == null) {
                direct.complete(c);
            } else {
                relayed.channel().eventLoop().schedule(() -> direct.completeExceptionally(e),
                    LANDING.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        direct.whenComplete((c, e) -> landed.cancel(false));
        return direct;
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
                    dialAny(relayed.get().remotePeer(), theirs, true, Duration.ZERO).whenComplete((direct, e) ->
                        LOG.debug("direct dial after SYNC: {}", e == null ? direct : e.getMessage()));
                }, failure));
            }, failure));
        };
    }

    private CompletableFuture<Connection> dialAny(PeerId peer, List<Multiaddr> addrs, boolean client,
                                                  Duration roleWait) {
        if (addrs.isEmpty()) {
            return CompletableFuture.failedFuture(new RelayException(peer + " offered no direct addresses"));
        }
        Multiaddr p2p = Multiaddr.parse("/p2p/" + peer.toBase58());
        CompletableFuture<Connection> result = new CompletableFuture<>();
        List<Throwable> errors = new ArrayList<>();
        for (Multiaddr addr : addrs) {
            directDial.dial(addr.encapsulate(p2p), client, roleWait).whenComplete((c, e) -> {
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
        Set<Multiaddr> offered = new LinkedHashSet<>();
        for (Multiaddr a : ownAddrs.get()) {
            if (!RelayProtocol.isCircuit(a)) {
                offered.add(a.withoutPeerId());
            }
        }
        for (Multiaddr a : offered) {
            m.addObsAddrs(ByteString.copyFrom(a.toBytes()));
        }
        return m.build();
    }

    /** The TCP addresses among those offered, without any {@code /p2p/} suffix. */
    private static List<Multiaddr> addrs(HolePunch message) {
        Set<Multiaddr> out = new LinkedHashSet<>();
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
        return List.copyOf(out);
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
