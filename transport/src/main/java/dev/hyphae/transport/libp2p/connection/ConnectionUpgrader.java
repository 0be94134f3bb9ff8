package dev.hyphae.transport.libp2p.connection;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multistream.MultistreamDialer;
import dev.hyphae.transport.libp2p.multistream.MultistreamListener;
import dev.hyphae.transport.libp2p.multistream.MultistreamNegotiation;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.mux.MuxedSession;
import dev.hyphae.transport.libp2p.mux.StreamMuxer;
import dev.hyphae.transport.libp2p.noise.NoiseHandshakeHandler;
import dev.hyphae.transport.libp2p.noise.SecureSession;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a raw connection into a libp2p connection (connections spec, "Upgrading Connections"):
 * multistream-select {@code /noise}, the Noise handshake, then the stream muxer, chosen inside the
 * handshake when both sides advertised one and otherwise with a second multistream-select round
 * over the secured channel.
 */
public final class ConnectionUpgrader {

    /** The security protocol, the only one Hyphae speaks. */
    public static final String NOISE = "/noise";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);

    private final PrivateKey identity;
    private final StreamMuxer muxer;
    private final StreamProtocols streamProtocols;
    private final SecureRandom random;
    private final Duration timeout;

    /**
     * @param identity this node's identity key
     * @param muxer the one stream muxer offered and accepted
     * @param streamProtocols the protocols served on inbound streams
     * @param timeout how long the whole upgrade may take (js-libp2p uses 10 s)
     */
    public ConnectionUpgrader(PrivateKey identity, StreamMuxer muxer, StreamProtocols streamProtocols,
                              SecureRandom random, Duration timeout) {
        this.identity = Objects.requireNonNull(identity);
        this.muxer = Objects.requireNonNull(muxer);
        this.streamProtocols = Objects.requireNonNull(streamProtocols);
        this.random = Objects.requireNonNull(random);
        this.timeout = Objects.requireNonNull(timeout);
    }

    public PeerId localPeer() {
        return identity.peerId();
    }

    /**
     * Starts the upgrade on {@code raw}, which must be registered with its event loop and have an
     * empty pipeline of its own (the upgrader adds everything).
     *
     * @param initiator whether this side dialled
     * @param expectedRemote the peer named by the dialled address, checked against the handshake
     * @param remoteAddress the remote's transport address, recorded on the connection
     */
    public CompletableFuture<Connection> upgrade(Channel raw, boolean initiator, Optional<PeerId> expectedRemote,
                                                 Multiaddr remoteAddress) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        if (Connection.isCircuit(remoteAddress)) {
            raw.attr(Connection.LIMITED).set(true);
        }
        ScheduledFuture<?> deadline = raw.eventLoop().schedule(
            () -> fail(raw, result, new UpgradeException("upgrade not finished within " + timeout)),
            timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((c, e) -> deadline.cancel(false));
        raw.closeFuture().addListener(f ->
            result.completeExceptionally(new UpgradeException("connection closed during the upgrade")));

        ProtocolSelected secure = (ctx, protocol) -> {
            NoiseHandshakeHandler noise = new NoiseHandshakeHandler(initiator, identity, expectedRemote,
                List.of(muxer.protocolId()),
                (noiseCtx, session) -> afterSecured(noiseCtx, session, remoteAddress, result), random);
            noise.result().whenComplete((s, e) -> {
                if (e != null) {
                    fail(raw, result, new UpgradeException("noise handshake failed", e));
                }
            });
            ctx.pipeline().addAfter(ctx.name(), "noise-handshake", noise);
        };
        MultistreamNegotiation negotiation = initiator
            ? new MultistreamDialer(List.of(NOISE), secure)
            : new MultistreamListener(List.of(NOISE), secure);
        negotiation.result().whenComplete((p, e) -> {
            if (e != null) {
                fail(raw, result, new UpgradeException("security negotiation failed", e));
            }
        });
        raw.pipeline().addLast("mss-security", negotiation);
        return result;
    }

    private void afterSecured(ChannelHandlerContext ctx, SecureSession session, Multiaddr remoteAddress,
                              CompletableFuture<Connection> result) {
        Channel channel = ctx.channel();
        if (session.earlyMuxer().isPresent()) {
            installMuxer(channel, session, remoteAddress, result);
            return;
        }
        List<String> offer = List.of(muxer.protocolId());
        ProtocolSelected onMuxer = (muxCtx, protocol) -> installMuxer(channel, session, remoteAddress, result);
        MultistreamNegotiation negotiation = session.initiator()
            ? new MultistreamDialer(offer, onMuxer)
            : new MultistreamListener(offer, onMuxer);
        negotiation.result().whenComplete((p, e) -> {
            if (e != null) {
                fail(channel, result, new UpgradeException("muxer negotiation failed", e));
            }
        });
        channel.pipeline().addLast("mss-muxer", negotiation);
    }

    private void installMuxer(Channel channel, SecureSession session, Multiaddr remoteAddress,
                              CompletableFuture<Connection> result) {
        MuxedSession muxed = muxer.install(channel, session.initiator(), streamProtocols.inboundStreamInitializer());
        Connection connection = new Connection(channel, session.initiator(), session.localPeer(),
            session.remotePeer(), remoteAddress, muxed);
        if (!result.complete(connection)) {
            channel.close();
        }
    }

    private static void fail(Channel channel, CompletableFuture<Connection> result, UpgradeException reason) {
        if (result.completeExceptionally(reason)) {
            LOG.debug("upgrade of {} failed: {}", channel, reason.getMessage());
            channel.close();
        }
    }
}
