package dev.hyphae.transport.libp2p.multistream;

import io.netty.channel.ChannelHandlerContext;

/**
 * What happens once multistream-select has agreed on a protocol. Called in the event loop while
 * the negotiating handler is still in the pipeline: add the protocol's handlers after
 * {@code ctx.name()}; the negotiator then removes itself and passes any bytes that arrived with
 * the agreement on to them.
 */
@FunctionalInterface
public interface ProtocolSelected {
    void selected(ChannelHandlerContext ctx, String protocol);
}
