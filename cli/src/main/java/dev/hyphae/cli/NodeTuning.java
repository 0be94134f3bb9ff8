package dev.hyphae.cli;

import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a node started many to a process changes from a node of its own: its libp2p host's settings
 * (all peers of a test network share one IP, so the per-IP inbound limit of a public node would
 * throttle them), and a look at the host before it starts (to count its bytes or cut its links).
 *
 * @param hostConfig turns the host settings {@code hyphae run} would use into the ones to use
 * @param hostCreated called with the host once created, before it listens or dials
 */
record NodeTuning(UnaryOperator<HostConfig> hostConfig, Consumer<Libp2pHost> hostCreated) {

    NodeTuning {
        Objects.requireNonNull(hostConfig, "hostConfig");
        Objects.requireNonNull(hostCreated, "hostCreated");
    }

    /** A node of its own: the host as configured, nothing looking at it. */
    static NodeTuning none() {
        return new NodeTuning(UnaryOperator.identity(), host -> { });
    }
}
