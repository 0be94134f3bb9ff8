package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.ping.PingInitiator;
import dev.hyphae.transport.libp2p.ping.PingProtocol;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Liveness by {@code /ipfs/ping/1.0.0} over an existing or freshly dialled connection. */
public final class PingLiveness implements LivenessCheck {

    private final PeerConnections connections;
    private final SecureRandom random;
    private final Duration timeout;

    public PingLiveness(PeerConnections connections, SecureRandom random, Duration timeout) {
        this.connections = connections;
        this.random = random;
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Boolean> isAlive(KadPeer peer) {
        return connections.connect(peer).thenCompose(c -> {
            PingInitiator ping = new PingInitiator(random, System::nanoTime, timeout);
            c.openStream(PingProtocol.ID, (ctx, p) -> ctx.pipeline().addAfter(ctx.name(), "ping", ping))
                .whenComplete((s, e) -> {
                    if (e != null) {
                        ping.result().completeExceptionally(e);
                    }
                });
            return ping.result();
        }).handle((rtt, error) -> error == null);
    }
}
