package dev.hyphae.transport.libp2p.mux;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * A stream multiplexer as negotiated on a secured libp2p connection (e.g. {@code /yamux/1.0.0}).
 * The connection upgrader calls {@link #install} once the muxer is agreed; from then on the
 * connection's pipeline carries the muxer's frames and application data flows over streams.
 */
public interface StreamMuxer {

    /** The multistream-select protocol id, e.g. {@code /yamux/1.0.0}. */
    String protocolId();

    /**
     * Adds the muxer's handlers at the end of {@code connection}'s pipeline, which must deliver
     * and accept plaintext {@code ByteBuf}s (after the security handler).
     *
     * @param initiator true on the side that dialled the connection (the "client" of the muxer)
     * @param inboundStreamHandler added to the pipeline of every stream the remote opens,
     *     typically a {@code ChannelInitializer} that starts multistream-select as listener;
     *     it must be {@code @Sharable}
     */
    MuxedSession install(Channel connection, boolean initiator, ChannelHandler inboundStreamHandler);
}
