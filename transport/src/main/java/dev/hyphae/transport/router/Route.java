package dev.hyphae.transport.router;

import dev.hyphae.transport.libp2p.connection.Connection;
import java.util.concurrent.CompletableFuture;

/**
 * One way the {@link Router} may reach a node: a live connection, known addresses, the DHT, and
 * (added by their own packages) a circuit relay or the node's onion service. The router tries its
 * routes in order and takes the first connection.
 */
public interface Route {
    /** A short name for logs and failure reasons, such as {@code "dht"}. */
    String name();

    /**
     * Completes with a live connection to {@code destination}'s peer, or fails saying why this
     * route cannot reach it (the router then tries the next route). Must not block.
     */
    CompletableFuture<Connection> connect(OnionAddress destination);
}
