package dev.hyphae.transport.libp2p.noise;

import io.netty.channel.ChannelHandlerContext;

/**
 * What happens once the Noise handshake has succeeded. Called in the event loop with the
 * handshake handler still in place and the transport codec already added right after it (as
 * {@link NoiseHandshakeHandler#TRANSPORT_CODEC_NAME}): add the next layer after that codec. The
 * handshake handler then removes itself and passes on bytes that arrived with the last message.
 */
@FunctionalInterface
public interface SessionEstablished {
    void established(ChannelHandlerContext ctx, SecureSession session);
}
