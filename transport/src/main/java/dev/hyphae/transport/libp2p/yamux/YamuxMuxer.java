package dev.hyphae.transport.libp2p.yamux;

import dev.hyphae.transport.libp2p.mux.MuxedSession;
import dev.hyphae.transport.libp2p.mux.StreamMuxer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/** The yamux stream muxer, {@code /yamux/1.0.0}. */
public final class YamuxMuxer implements StreamMuxer {
    public static final String PROTOCOL_ID = "/yamux/1.0.0";

    private final YamuxConfig config;

    public YamuxMuxer(YamuxConfig config) {
        this.config = config;
    }

    @Override
    public String protocolId() {
        return PROTOCOL_ID;
    }

    @Override
    public YamuxSession install(Channel connection, boolean initiator, ChannelHandler inboundStreamHandler) {
        YamuxSession session = new YamuxSession(connection, initiator, inboundStreamHandler, config);
        connection.pipeline().addLast(new YamuxFrameDecoder(config.maxWindow()), new YamuxFrameEncoder(), session);
        return session;
    }
}
