package dev.hyphae.transport.libp2p.connection;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Decides, when a TCP connection is accepted and before any handshake, whether it may go on. Runs
 * on the event loop, so it must be quick.
 */
@FunctionalInterface
public interface InboundGate {

    /** Lets every connection through. */
    InboundGate OPEN = remote -> Optional.empty();

    /** Why the connection from {@code remote} is refused, or empty if it may go on. */
    Optional<String> refusal(InetSocketAddress remote);
}
