package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.identify.IdentifyMessage;
import dev.hyphae.transport.libp2p.identify.IdentifyProtocol;
import dev.hyphae.transport.libp2p.identify.IdentifyReader;
import dev.hyphae.transport.libp2p.identify.IdentifyWriter;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import dev.hyphae.transport.libp2p.peer.PeerId;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify push ({@code /ipfs/id/push/1.0.0}) for a host: sends its identify to connected peers
 * that accept pushes when its addresses change, and applies the pushes peers send to the
 * {@link PeerStore}.
 */
final class IdentifyPush {

    private static final Logger LOG = LoggerFactory.getLogger(IdentifyPush.class);

    private final PeerStore peerStore;
    private final Function<Optional<Multiaddr>, IdentifyMessage> identify;
    private final Function<Channel, Optional<Connection>> connectionOf;
    private final BiConsumer<PeerId, PeerStore.PeerInfo> applied;
    private final Duration timeout;

    /**
     * @param identify this host's identify message, given the address the remote is observed at
     * @param connectionOf the live connection a stream belongs to
     * @param applied called with what the peer store holds after a push was applied
     */
    IdentifyPush(PeerStore peerStore, Function<Optional<Multiaddr>, IdentifyMessage> identify,
                 Function<Channel, Optional<Connection>> connectionOf,
                 BiConsumer<PeerId, PeerStore.PeerInfo> applied, Duration timeout) {
        this.peerStore = Objects.requireNonNull(peerStore);
        this.identify = Objects.requireNonNull(identify);
        this.connectionOf = Objects.requireNonNull(connectionOf);
        this.applied = Objects.requireNonNull(applied);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /**
     * Sends identify to each of {@code connections} whose peer said it accepts identify push.
     * Completes with the number of peers that took it; a peer that failed is only logged.
     */
    CompletableFuture<Integer> pushTo(Collection<Connection> connections) {
        List<CompletableFuture<Boolean>> pushes = new ArrayList<>();
        for (Connection connection : connections) {
            boolean accepts = peerStore.get(connection.remotePeer())
                .map(i -> i.protocols().contains(IdentifyProtocol.PUSH_ID)).orElse(false);
            if (!accepts) {
                continue;
            }
            IdentifyWriter writer = new IdentifyWriter(identify.apply(Optional.of(connection.remoteAddress())));
            pushes.add(connection.openStream(IdentifyProtocol.PUSH_ID,
                    (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "identify-push", writer))
                .handle((stream, e) -> {
                    if (e != null) {
                        LOG.debug("identify push to {} failed: {}", connection, e.getMessage());
                    }
                    return e == null;
                }));
        }
        return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new))
            .thenApply(v -> (int) pushes.stream().filter(CompletableFuture::join).count());
    }

    /** Reads an identify push on an inbound stream and applies it to the peer store. */
    ProtocolSelected receiver() {
        return this::received;
    }

    private void received(ChannelHandlerContext ctx, String protocol) {
        Optional<Connection> connection = connectionOf.apply(ctx.channel());
        if (connection.isEmpty()) {
            ctx.close();
            return;
        }
        PeerId peer = connection.get().remotePeer();
        IdentifyReader reader = new IdentifyReader(peer, true, timeout);
        ctx.pipeline().addAfter(ctx.name(), "identify-push", reader);
        reader.result().whenComplete((message, e) -> {
            if (e != null) {
                LOG.debug("identify push from {} dropped: {}", peer, e.getMessage());
            } else {
                applied.accept(peer, peerStore.applyPush(peer, message));
            }
        });
    }
}
