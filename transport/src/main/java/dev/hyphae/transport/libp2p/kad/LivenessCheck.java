package dev.hyphae.transport.libp2p.kad;

import java.util.concurrent.CompletableFuture;

/**
 * Asks whether a routing table entry still answers (the DHT uses {@code /ipfs/ping/1.0.0}).
 * The future completes with false, never exceptionally, when the peer is gone.
 */
@FunctionalInterface
public interface LivenessCheck {
    CompletableFuture<Boolean> isAlive(KadPeer peer);
}
