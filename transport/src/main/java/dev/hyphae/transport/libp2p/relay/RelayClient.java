package dev.hyphae.transport.libp2p.relay;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.connection.ConnectionUpgrader;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.MultiaddrException;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.peer.InvalidPeerIdException;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.HopMessage;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Peer;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.StopMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of circuit relay v2: reserves a slot on a relay (hop RESERVE), dials a peer
 * through a relay (hop CONNECT), and accepts connections a relay brings in (the stop protocol's
 * handler, {@link #stopHandler()}). Either way the hop or stop stream is then upgraded with Noise
 * and the muxer, end to end with the other peer, into an ordinary {@link Connection}.
 */
public final class RelayClient {

    private static final Logger LOG = LoggerFactory.getLogger(RelayClient.class);

    private final PeerId self;
    private final ConnectionUpgrader upgrader;
    private final Function<Channel, Optional<Connection>> connectionOf;
    private final Consumer<Connection> onInbound;
    private final Duration timeout;

    /**
     * @param upgrader upgrades relayed streams (the same one the TCP transport uses)
     * @param connectionOf the live connection whose channel is the given one, to learn which relay a stop stream came from
     * @param onInbound receives each relayed connection accepted on the stop protocol, once upgraded
     * @param timeout how long the relay may take to answer
     */
    public RelayClient(ConnectionUpgrader upgrader, Function<Channel, Optional<Connection>> connectionOf,
                       Consumer<Connection> onInbound, Duration timeout) {
        this.upgrader = Objects.requireNonNull(upgrader);
        this.self = upgrader.localPeer();
        this.connectionOf = Objects.requireNonNull(connectionOf);
        this.onInbound = Objects.requireNonNull(onInbound);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /**
     * Reserves a slot on the relay at the other end of {@code relay} (or renews it). Fails with a
     * {@link RelayException} carrying the relay's status if it refused, or if its answer or
     * voucher does not hold up.
     */
    public CompletableFuture<Reservation> reserve(Connection relay) {
        if (RelayProtocol.isCircuit(relay.remoteAddress())) {
            return CompletableFuture.failedFuture(new RelayException("no reservations over a relayed connection"));
        }
        HopMessage request = HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build();
        return hopRequest(relay, request, (ctx, answer, result) -> {
            try {
                result.complete(reservation(relay.remotePeer(), answer));
            } catch (RelayException e) {
                result.completeExceptionally(e);
            }
            ctx.close();
        });
    }

    /**
     * Dials {@code target} through the relay at the other end of {@code relay}: hop CONNECT, then
     * the upgrade of the hop stream as the initiator. Fails with a {@link RelayException} with the
     * relay's status if it refused.
     */
    public CompletableFuture<Connection> connect(Connection relay, PeerId target) {
        if (RelayProtocol.isCircuit(relay.remoteAddress())) {
            return CompletableFuture.failedFuture(new RelayException("no circuits over a relayed connection"));
        }
        HopMessage request = HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
            .setPeer(Peer.newBuilder().setId(ByteString.copyFrom(target.toBytes()))).build();
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        hopRequest(relay, request, (ctx, answer, result) -> {
            Status status = answer.getStatus();
            if (status != Status.OK) {
                result.completeExceptionally(new RelayException(status, "relay " + relay.remotePeer()
                    + " did not connect to " + target));
                ctx.close();
                return;
            }
            Multiaddr remote = circuitAddress(relay);
            startUpgrade(ctx, true, target, remote).whenComplete((c, e) -> {
                if (e != null) {
                    connected.completeExceptionally(e);
                } else {
                    connected.complete(c);
                }
            });
            result.complete(null);
        }).whenComplete((ignored, e) -> {
            if (e != null) {
                connected.completeExceptionally(e);
            }
        });
        return connected;
    }

    /** The handler of the stop protocol: accepts a relayed connection and upgrades it as inbound. */
    public ProtocolSelected stopHandler() {
        return (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "relay-stop",
            new RelayMessageReader<>(StopMessage::parseFrom, new StopHandler(), timeout));
    }

    private final class StopHandler implements RelayMessageReader.Handler<StopMessage> {
        @Override
        public void onMessage(ChannelHandlerContext ctx, StopMessage message) {
            if (!message.hasType() || message.getType() != StopMessage.Type.CONNECT) {
                refuse(ctx, Status.UNEXPECTED_MESSAGE, "expected CONNECT, got " + message.getType());
                return;
            }
            PeerId source;
            try {
                if (!message.hasPeer() || !message.getPeer().hasId()) {
                    refuse(ctx, Status.MALFORMED_MESSAGE, "CONNECT without a peer id");
                    return;
                }
                source = PeerId.fromBytes(message.getPeer().getId().toByteArray());
            } catch (InvalidPeerIdException e) {
                refuse(ctx, Status.MALFORMED_MESSAGE, "CONNECT with an invalid peer id: " + e.getMessage());
                return;
            }
            Optional<Connection> relay = Optional.ofNullable(ctx.channel().parent()).flatMap(connectionOf);
            if (relay.isEmpty()) {
                refuse(ctx, Status.CONNECTION_FAILED, "stop stream on an unknown connection");
                return;
            }
            if (RelayProtocol.isCircuit(relay.get().remoteAddress())) {
                refuse(ctx, Status.PERMISSION_DENIED, "stop over a relayed connection");
                return;
            }
            ctx.writeAndFlush(RelayProtocol.frame(ctx.alloc(), stopStatus(Status.OK)));
            startUpgrade(ctx, false, source, circuitAddress(relay.get())).whenComplete((c, e) -> {
                if (e != null) {
                    LOG.debug("relayed connection from {} via {} not upgraded: {}", source, relay.get().remotePeer(),
                        e.getMessage());
                } else {
                    onInbound.accept(c);
                }
            });
        }

        @Override
        public void onFailure(ChannelHandlerContext ctx, String reason, boolean malformed) {
            LOG.debug("stop stream on {}: {}", ctx.channel(), reason);
            if (malformed) {
                refuse(ctx, Status.MALFORMED_MESSAGE, reason);
            } else {
                ctx.close();
            }
        }

        private void refuse(ChannelHandlerContext ctx, Status status, String reason) {
            LOG.debug("refusing stop on {}: {}", ctx.channel(), reason);
            ctx.writeAndFlush(RelayProtocol.frame(ctx.alloc(), stopStatus(status)))
                .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static StopMessage stopStatus(Status status) {
        return StopMessage.newBuilder().setType(StopMessage.Type.STATUS).setStatus(status).build();
    }

    /**
     * Upgrades the relayed stream of {@code ctx} (a hop or stop stream) into a connection. Runs
     * while the message reader is still in the pipeline, so bytes after the message reach the upgrader.
     */
    private CompletableFuture<Connection> startUpgrade(ChannelHandlerContext ctx, boolean initiator, PeerId remote,
                                                       Multiaddr address) {
        Channel stream = ctx.channel();
        stream.pipeline().addFirst("relayed-eof", RelayedStreams.CLOSE_ON_EOF);
        return upgrader.upgrade(stream, initiator, Optional.of(remote), address);
    }

    /** How a relayed connection through {@code relay} is addressed: the relay's address, {@code /p2p/<relay>/p2p-circuit}. */
    private static Multiaddr circuitAddress(Connection relay) {
        return relay.remoteAddress().encapsulate(
            Multiaddr.parse("/p2p/" + relay.remotePeer().toBase58() + "/p2p-circuit"));
    }

    /** Handles the one answer on a hop stream and completes the result. */
    @FunctionalInterface
    private interface HopAnswer<R> {
        void accept(ChannelHandlerContext ctx, HopMessage answer, CompletableFuture<R> result);
    }

    /** Opens a hop stream, sends {@code request}, and hands the relay's STATUS answer to {@code onAnswer}. */
    private <R> CompletableFuture<R> hopRequest(Connection relay, HopMessage request, HopAnswer<R> onAnswer) {
        CompletableFuture<R> result = new CompletableFuture<>();
        RelayMessageReader.Handler<HopMessage> handler = new RelayMessageReader.Handler<>() {
            @Override
            public void onMessage(ChannelHandlerContext ctx, HopMessage answer) {
                if (answer.getType() != HopMessage.Type.STATUS || !answer.hasStatus()) {
                    result.completeExceptionally(new RelayException("relay " + relay.remotePeer()
                        + " answered " + answer.getType() + " instead of a status"));
                    ctx.close();
                    return;
                }
                onAnswer.accept(ctx, answer, result);
            }

            @Override
            public void onFailure(ChannelHandlerContext ctx, String reason, boolean malformed) {
                result.completeExceptionally(new RelayException("relay " + relay.remotePeer() + ": " + reason));
                ctx.close();
            }
        };
        relay.openStream(RelayProtocol.HOP, (ctx, protocol) -> {
            ctx.pipeline().addAfter(ctx.name(), "relay-hop",
                new RelayMessageReader<>(HopMessage::parseFrom, handler, timeout));
            ctx.channel().writeAndFlush(RelayProtocol.frame(ctx.alloc(), request));
        }).whenComplete((MuxedStream stream, Throwable e) -> {
            if (e != null) {
                result.completeExceptionally(new RelayException("could not open a hop stream to "
                    + relay.remotePeer() + ": " + e.getMessage()));
            }
        });
        return result;
    }

    /** The reservation in a STATUS answer to RESERVE, with its voucher checked. */
    static Reservation reservation(PeerId relay, HopMessage answer, PeerId self) throws RelayException {
        if (answer.getStatus() != Status.OK) {
            throw new RelayException(answer.getStatus(), "relay " + relay + " refused the reservation");
        }
        if (!answer.hasReservation() || !answer.getReservation().hasExpire()) {
            throw new RelayException("relay " + relay + " accepted without a reservation expiry");
        }
        var proto = answer.getReservation();
        List<Multiaddr> addrs = new ArrayList<>();
        for (ByteString bytes : proto.getAddrsList()) {
            try {
                Multiaddr addr = Multiaddr.fromBytes(bytes.toByteArray());
                Optional<String> named = addr.components().isEmpty() ? Optional.empty()
                    : Optional.of(addr.components().get(addr.components().size() - 1))
                        .filter(c -> c.protocol() == dev.hyphae.transport.libp2p.multiaddr.Protocol.P2P)
                        .map(Multiaddr.Component::valueText);
                if (named.isEmpty()) {
                    addr = addr.encapsulate(Multiaddr.parse("/p2p/" + relay.toBase58()));
                } else if (!PeerId.parse(named.get()).equals(relay)) {
                    continue; // an address of some other peer is no way to reach this relay
                }
                addrs.add(addr);
            } catch (MultiaddrException | InvalidPeerIdException e) {
                LOG.debug("relay {} sent an unusable address: {}", relay, e.getMessage());
            }
        }
        Optional<ReservationVoucher> voucher = Optional.empty();
        if (proto.hasVoucher()) {
            ReservationVoucher v = ReservationVoucher.open(proto.getVoucher().toByteArray());
            if (!v.relay().equals(relay) || !v.peer().equals(self)) {
                throw new RelayException("reservation voucher is for " + v.peer() + " at " + v.relay()
                    + ", not for " + self + " at " + relay);
            }
            if (v.expiration() != proto.getExpire()) {
                throw new RelayException("reservation voucher expires at " + v.expiration()
                    + " but the reservation at " + proto.getExpire());
            }
            voucher = Optional.of(v);
        }
        Optional<CircuitLimit> limit = answer.hasLimit()
            ? Optional.of(CircuitLimit.fromProto(answer.getLimit())) : Optional.empty();
        return new Reservation(relay, Instant.ofEpochSecond(Math.max(0, proto.getExpire())), addrs, limit, voucher);
    }

    private Reservation reservation(PeerId relay, HopMessage answer) throws RelayException {
        return reservation(relay, answer, self);
    }
}
