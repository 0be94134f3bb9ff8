package dev.hyphae.transport.libp2p.connection;

import dev.hyphae.transport.libp2p.multistream.MultistreamListener;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protocols this node serves on streams the remote opens (identify, ping, kad, …), each with
 * what installs its handlers once multistream-select has chosen it. On a limited (relayed)
 * connection only the protocols allowed there are offered; the others are refused with {@code na},
 * as if not spoken. Immutable.
 */
public final class StreamProtocols {

    private final Map<String, ProtocolSelected> handlers;
    private final Set<String> notOnLimited;

    private StreamProtocols(Map<String, ProtocolSelected> handlers, Set<String> notOnLimited) {
        this.handlers = handlers;
        this.notOnLimited = notOnLimited;
    }

    /** Protocols that all run on limited connections too. */
    public static StreamProtocols of(Map<String, ProtocolSelected> handlers) {
        return new StreamProtocols(Collections.unmodifiableMap(new LinkedHashMap<>(handlers)), Set.of());
    }

    public static StreamProtocols none() {
        return of(Map.of());
    }

    /** A new set with {@code protocol} added (or replaced), served on limited connections too. */
    public StreamProtocols with(String protocol, ProtocolSelected handler) {
        return with(protocol, handler, true);
    }

    /**
     * A new set with {@code protocol} added (or replaced); {@code onLimitedConnections} says whether
     * it is served on limited (relayed) connections.
     */
    public StreamProtocols with(String protocol, ProtocolSelected handler, boolean onLimitedConnections) {
        Map<String, ProtocolSelected> copy = new LinkedHashMap<>(handlers);
        copy.put(protocol, handler);
        Set<String> limited = new HashSet<>(notOnLimited);
        if (onLimitedConnections) {
            limited.remove(protocol);
        } else {
            limited.add(protocol);
        }
        return new StreamProtocols(Collections.unmodifiableMap(copy), Set.copyOf(limited));
    }

    public List<String> protocolIds() {
        return List.copyOf(handlers.keySet());
    }

    /** The protocols served on limited (relayed) connections. */
    public List<String> limitedProtocolIds() {
        return handlers.keySet().stream().filter(p -> !notOnLimited.contains(p)).toList();
    }

    /** The handler every inbound stream starts with: multistream-select as listener. */
    public ChannelHandler inboundStreamInitializer() {
        return new InboundStreamInitializer(protocolIds(), limitedProtocolIds(), handlers);
    }

    @ChannelHandler.Sharable
    private static final class InboundStreamInitializer extends ChannelInitializer<Channel> {
        private final List<String> ids;
        private final List<String> limitedIds;
        private final Map<String, ProtocolSelected> handlers;

        InboundStreamInitializer(List<String> ids, List<String> limitedIds, Map<String, ProtocolSelected> handlers) {
            this.ids = ids;
            this.limitedIds = limitedIds;
            this.handlers = handlers;
        }

        @Override
        protected void initChannel(Channel stream) {
            Channel connection = stream.parent();
            boolean limited = connection != null && Boolean.TRUE.equals(connection.attr(Connection.LIMITED).get());
            stream.pipeline().addLast(new MultistreamListener(limited ? limitedIds : ids,
                (ctx, protocol) -> handlers.get(protocol).selected(ctx, protocol)));
        }
    }
}
