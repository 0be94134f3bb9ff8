package dev.hyphae.transport.libp2p.connection;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multiaddr.Protocol;
import dev.hyphae.transport.libp2p.multistream.MultistreamDialer;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.mux.MuxedSession;
import dev.hyphae.transport.libp2p.mux.MuxedStream;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An upgraded libp2p connection: authenticated by Noise, multiplexed by the muxer, ready for
 * streams.
 */
public final class Connection {

    /**
     * Set on the channel of a limited connection (circuit v2: a relayed one, whose relay caps its
     * duration and data), so that inbound streams on it are offered only the protocols allowed there.
     */
    static final AttributeKey<Boolean> LIMITED = AttributeKey.valueOf("hyphae.limited-connection");

    private final Channel channel;
    private final boolean initiator;
    private final PeerId localPeer;
    private final PeerId remotePeer;
    private final Multiaddr remoteAddress;
    private final MuxedSession muxedSession;

    Connection(Channel channel, boolean initiator, PeerId localPeer, PeerId remotePeer, Multiaddr remoteAddress,
               MuxedSession muxedSession) {
        this.channel = Objects.requireNonNull(channel);
        this.initiator = initiator;
        this.localPeer = Objects.requireNonNull(localPeer);
        this.remotePeer = Objects.requireNonNull(remotePeer);
        this.remoteAddress = Objects.requireNonNull(remoteAddress);
        this.muxedSession = Objects.requireNonNull(muxedSession);
    }

    /**
     * Opens a stream and negotiates {@code protocol} on it. {@code onSelected} installs the
     * protocol's handlers in the stream's pipeline; the future completes with the stream once the
     * remote has agreed, or fails if it refused or the stream could not be opened.
     */
    public CompletableFuture<MuxedStream> openStream(String protocol, ProtocolSelected onSelected) {
        return openStream(protocol, onSelected, false);
    }

    /**
     * As {@link #openStream(String, ProtocolSelected)}, but the future completes as soon as the
     * proposal is written, so the caller's first write follows it without waiting a round trip for
     * the remote's agreement; a refusal then closes the stream (the protocol's handlers see it
     * become inactive). For request-response protocols the remote is known to speak.
     */
    public CompletableFuture<MuxedStream> openStreamOptimistic(String protocol, ProtocolSelected onSelected) {
        return openStream(protocol, onSelected, true);
    }

    private CompletableFuture<MuxedStream> openStream(String protocol, ProtocolSelected onSelected, boolean optimistic) {
        CompletableFuture<MuxedStream> result = new CompletableFuture<>();
        ProtocolSelected selected = (ctx, p) -> {
            onSelected.selected(ctx, p);
            result.complete((MuxedStream) ctx.channel());
        };
        MultistreamDialer dialer = optimistic ? MultistreamDialer.optimistic(protocol, selected)
            : new MultistreamDialer(List.of(protocol), selected);
        dialer.result().whenComplete((p, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            }
        });
        muxedSession.openStream(dialer).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    public Channel channel() {
        return channel;
    }

    /** Whether this side dialled the connection. */
    public boolean isInitiator() {
        return initiator;
    }

    public PeerId localPeer() {
        return localPeer;
    }

    public PeerId remotePeer() {
        return remotePeer;
    }

    /** The remote's transport address (without {@code /p2p/}). */
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    /**
     * Whether this is a limited connection (circuit relay v2): relayed, with the relay's limits on
     * duration and data. Heavy protocols such as the DHT do not run on it, and a direct connection
     * to the same peer is preferred.
     */
    public boolean isLimited() {
        return isCircuit(remoteAddress);
    }

    /** Whether {@code address} goes through a relay ({@code …/p2p-circuit…}). */
    public static boolean isCircuit(Multiaddr address) {
        return address.components().stream().anyMatch(c -> c.protocol() == Protocol.P2P_CIRCUIT);
    }

    public MuxedSession muxedSession() {
        return muxedSession;
    }

    public ChannelFuture close() {
        return channel.close();
    }

    @Override
    public String toString() {
        return (initiator ? "outbound" : "inbound") + (isLimited() ? " limited" : "") + " connection to " + remotePeer + " at " + remoteAddress;
    }
}
