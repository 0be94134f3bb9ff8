package dev.hyphae.transport.libp2p.relay;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.peer.InvalidPeerIdException;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.HopMessage;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.StopMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay side of circuit relay v2: serves the hop protocol, granting reservations within
 * {@link RelayLimits} with signed vouchers, and on CONNECT opens a stop stream to the target over
 * its reservation's connection and bridges the two streams within the circuit limit. Refusals use
 * the spec's status codes; a bad message ends only the stream it came on.
 */
public final class RelayService {

    private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);

    private final PrivateKey key;
    private final RelayLimits limits;
    private final Clock clock;
    private final Supplier<List<Multiaddr>> publicAddrs;
    private final Function<Channel, Optional<Connection>> connectionOf;
    private final Duration timeout;
    private final ReservationTable table;

    /**
     * @param key the relay's identity, which signs vouchers
     * @param publicAddrs the relay's own addresses, each ending in {@code /p2p/<relay>}, as reservations report them
     * @param connectionOf the live connection whose channel is the given one
     * @param timeout how long the target may take to answer the stop CONNECT
     */
    public RelayService(PrivateKey key, RelayLimits limits, Clock clock, Supplier<List<Multiaddr>> publicAddrs,
                        Function<Channel, Optional<Connection>> connectionOf, Duration timeout) {
        this.key = Objects.requireNonNull(key);
        this.limits = Objects.requireNonNull(limits);
        this.clock = Objects.requireNonNull(clock);
        this.publicAddrs = Objects.requireNonNull(publicAddrs);
        this.connectionOf = Objects.requireNonNull(connectionOf);
        this.timeout = Objects.requireNonNull(timeout);
        this.table = new ReservationTable(limits, clock);
    }

    /** The handler of the hop protocol. */
    public ProtocolSelected hopHandler() {
        return (ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "relay-hop",
            new RelayMessageReader<>(HopMessage::parseFrom, new HopHandler(), timeout));
    }

    /** Reservations held now. */
    public int reservationCount() {
        return table.size();
    }

    /** Relayed connections open now from or to {@code peer}. */
    public int circuitCount(PeerId peer) {
        return table.circuits(peer);
    }

    private final class HopHandler implements RelayMessageReader.Handler<HopMessage> {
        @Override
        public void onMessage(ChannelHandlerContext ctx, HopMessage message) {
            Optional<Connection> from = Optional.ofNullable(ctx.channel().parent()).flatMap(connectionOf);
            if (from.isEmpty()) {
                answer(ctx, status(Status.PERMISSION_DENIED), "hop stream on an unknown connection");
                return;
            }
            if (!message.hasType()) {
                answer(ctx, status(Status.MALFORMED_MESSAGE), "hop message without a type");
                return;
            }
            if (RelayProtocol.isCircuit(from.get().remoteAddress())) {
                answer(ctx, status(Status.PERMISSION_DENIED), "hop over a relayed connection");
                return;
            }
            switch (message.getType()) {
                case RESERVE -> reserve(ctx, from.get());
                case CONNECT -> connect(ctx, from.get(), message);
                default -> answer(ctx, status(Status.UNEXPECTED_MESSAGE), "unexpected hop " + message.getType());
            }
        }

        @Override
        public void onFailure(ChannelHandlerContext ctx, String reason, boolean malformed) {
            if (malformed) {
                answer(ctx, status(Status.MALFORMED_MESSAGE), reason);
            } else {
                LOG.debug("hop stream on {}: {}", ctx.channel(), reason);
                ctx.close();
            }
        }
    }

    private void reserve(ChannelHandlerContext ctx, Connection from) {
        PeerId peer = from.remotePeer();
        String ip = from.remoteAddress().components().get(0).valueText();
        ReservationTable.Result result = table.reserve(peer, ip, from);
        if (result.entry().isEmpty()) {
            answer(ctx, status(result.status()), result.reason());
            return;
        }
        from.channel().closeFuture().addListener(f -> table.connectionClosed(peer, from));
        long expire = result.entry().get().expire().getEpochSecond();
        CircuitProto.Reservation.Builder reservation = CircuitProto.Reservation.newBuilder()
            .setExpire(expire)
            .setVoucher(ByteString.copyFrom(new ReservationVoucher(key.peerId(), peer, expire).seal(key)));
        for (Multiaddr addr : publicAddrs.get()) {
            reservation.addAddrs(ByteString.copyFrom(addr.toBytes()));
        }
        HopMessage ok = status(Status.OK).toBuilder().setReservation(reservation)
            .setLimit(limits.circuit().toProto()).build();
        LOG.debug("reservation for {} until {}", peer, result.entry().get().expire());
        answer(ctx, ok, "");
    }

    private void connect(ChannelHandlerContext ctx, Connection from, HopMessage message) {
        PeerId target;
        try {
            if (!message.hasPeer() || !message.getPeer().hasId()) {
                answer(ctx, status(Status.MALFORMED_MESSAGE), "CONNECT without a peer id");
                return;
            }
            target = PeerId.fromBytes(message.getPeer().getId().toByteArray());
        } catch (InvalidPeerIdException e) {
            answer(ctx, status(Status.MALFORMED_MESSAGE), "CONNECT with an invalid peer id: " + e.getMessage());
            return;
        }
        Optional<ReservationTable.Entry> reservation = table.reservation(target);
        if (reservation.isEmpty()) {
            answer(ctx, status(Status.NO_RESERVATION), target + " holds no reservation");
            return;
        }
        PeerId source = from.remotePeer();
        if (!table.openCircuit(source, target)) {
            answer(ctx, status(Status.RESOURCE_LIMIT_EXCEEDED), "circuit limit of " + limits.maxCircuitsPerPeer()
                + " per peer reached for " + source + " or " + target);
            return;
        }
        MuxedStream hop = (MuxedStream) ctx.channel();
        // The hop stream waits, unread, until the target has answered.
        hop.config().setAutoRead(false);
        Connection toTarget = (Connection) reservation.get().connection();
        StopMessage stopConnect = StopMessage.newBuilder().setType(StopMessage.Type.CONNECT)
            .setPeer(CircuitProto.Peer.newBuilder().setId(ByteString.copyFrom(source.toBytes())))
            .setLimit(limits.circuit().toProto()).build();
        RelayMessageReader.Handler<StopMessage> onStopAnswer = new RelayMessageReader.Handler<>() {
            @Override
            public void onMessage(ChannelHandlerContext stopCtx, StopMessage answer) {
                if (answer.getType() != StopMessage.Type.STATUS || answer.getStatus() != Status.OK) {
                    failed(stopCtx, "target answered " + answer.getType() + " " + answer.getStatus());
                    return;
                }
                MuxedStream stop = (MuxedStream) stopCtx.channel();
                CircuitBridge bridge = new CircuitBridge(hop, stop, limits.circuit(),
                    () -> table.closeCircuit(source, target));
                bridge.start();
                bridge.attachTarget(stopCtx.name());
                hop.eventLoop().execute(() -> {
                    hop.writeAndFlush(RelayProtocol.frame(hop.alloc(),
                        status(Status.OK).toBuilder().setLimit(limits.circuit().toProto()).build()));
                    bridge.attachSource();
                    hop.config().setAutoRead(true);
                });
            }

            @Override
            public void onFailure(ChannelHandlerContext stopCtx, String reason, boolean malformed) {
                failed(stopCtx, reason);
            }

            private void failed(ChannelHandlerContext stopCtx, String reason) {
                stopCtx.close();
                table.closeCircuit(source, target);
                hop.eventLoop().execute(() -> answerOn(hop, status(Status.CONNECTION_FAILED),
                    "target " + target + " did not accept: " + reason));
            }
        };
        toTarget.openStream(RelayProtocol.STOP, (stopCtx, protocol) -> {
            stopCtx.pipeline().addAfter(stopCtx.name(), "relay-stop",
                new RelayMessageReader<>(StopMessage::parseFrom, onStopAnswer, timeout));
            stopCtx.channel().writeAndFlush(RelayProtocol.frame(stopCtx.alloc(), stopConnect));
        }).whenComplete((stream, e) -> {
            if (e != null) {
                table.closeCircuit(source, target);
                hop.eventLoop().execute(() -> answerOn(hop, status(Status.CONNECTION_FAILED),
                    "no stop stream to " + target + ": " + e.getMessage()));
            }
        });
    }

    private static HopMessage status(Status status) {
        return HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(status).build();
    }

    /** Sends {@code message} and ends the hop stream. */
    private static void answer(ChannelHandlerContext ctx, HopMessage message, String reason) {
        answerOn(ctx.channel(), message, reason);
    }

    private static void answerOn(Channel stream, HopMessage message, String reason) {
        if (message.getStatus() != Status.OK) {
            LOG.debug("hop on {}: {} ({})", stream, message.getStatus(), reason);
        }
        stream.writeAndFlush(RelayProtocol.frame(stream.alloc(), message)).addListener(ChannelFutureListener.CLOSE);
    }
}
