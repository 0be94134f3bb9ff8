package dev.hyphae.transport.libp2p.host;

import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Libp2pHost} runs on: event loops of its own (made at start, shut down at close)
 * or a group it borrows, which many hosts in one process can share and which the host then never
 * shuts down; and the yamux tuning of its connections.
 *
 * @param sharedEventLoops a group owned by the caller, or empty for the host's own
 *     {@link HostConfig#eventLoopThreads()} loops
 * @param yamux the muxer's window, stream limits and keep-alive
 */
public record HostResources(Optional<EventLoopGroup> sharedEventLoops, YamuxConfig yamux) {

    public HostResources {
        Objects.requireNonNull(sharedEventLoops, "sharedEventLoops");
        Objects.requireNonNull(yamux, "yamux");
    }

    /** Event loops of its own and the default yamux tuning: a host alone in its process. */
    public static HostResources own() {
        return new HostResources(Optional.empty(), YamuxConfig.defaults());
    }

    /** Runs on {@code eventLoops}, which the caller shuts down after closing every host on it. */
    public static HostResources shared(EventLoopGroup eventLoops, YamuxConfig yamux) {
        return new HostResources(Optional.of(eventLoops), yamux);
    }
}
