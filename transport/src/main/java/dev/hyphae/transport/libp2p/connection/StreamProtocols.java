package dev.hyphae.transport.libp2p.connection;

import dev.hyphae.transport.libp2p.multistream.MultistreamListener;
import dev.hyphae.transport.libp2p.multistream.ProtocolSelected;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocols this node serves on streams the remote opens (identify, ping, kad, …), each with
 * what installs its handlers once multistream-select has chosen it. Immutable.
 */
public final class StreamProtocols {

    private final Map<String, ProtocolSelected> handlers;

    private StreamProtocols(Map<String, ProtocolSelected> handlers) {
        this.handlers = handlers;
    }

    public static StreamProtocols of(Map<String, ProtocolSelected> handlers) {
        return new StreamProtocols(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(handlers)));
    }

    public static StreamProtocols none() {
        return of(Map.of());
    }

    /** A new set with {@code protocol} added (or replaced). */
    public StreamProtocols with(String protocol, ProtocolSelected handler) {
        Map<String, ProtocolSelected> copy = new LinkedHashMap<>(handlers);
        copy.put(protocol, handler);
        return new StreamProtocols(java.util.Collections.unmodifiableMap(copy));
    }

    public List<String> protocolIds() {
        return List.copyOf(handlers.keySet());
    }

    /** The handler every inbound stream starts with: multistream-select as listener. */
    public ChannelHandler inboundStreamInitializer() {
        List<String> ids = protocolIds();
        return new InboundStreamInitializer(ids, handlers);
    }

    @ChannelHandler.Sharable
    private static final class InboundStreamInitializer extends ChannelInitializer<Channel> {
        private final List<String> ids;
        private final Map<String, ProtocolSelected> handlers;

        InboundStreamInitializer(List<String> ids, Map<String, ProtocolSelected> handlers) {
            this.ids = ids;
            this.handlers = handlers;
        }

        @Override
        protected void initChannel(Channel stream) {
            stream.pipeline().addLast(new MultistreamListener(ids,
                (ctx, protocol) -> handlers.get(protocol).selected(ctx, protocol)));
        }
    }
}
