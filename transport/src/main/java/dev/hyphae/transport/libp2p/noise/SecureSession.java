package dev.hyphae.transport.libp2p.noise;

import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PublicKey;
import java.util.Optional;

/**
 * The outcome of a completed libp2p Noise handshake.
 *
 * @param earlyMuxer the stream muxer agreed through the Noise extensions, present only when both
 *     sides sent a muxer list that has a protocol in common; otherwise the muxer is chosen with
 *     multistream-select over the secured channel
 */
public record SecureSession(boolean initiator, PeerId localPeer, PeerId remotePeer, PublicKey remoteIdentityKey,
                            Optional<String> earlyMuxer) {
}
