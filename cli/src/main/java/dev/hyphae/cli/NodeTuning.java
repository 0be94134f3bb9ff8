package dev.hyphae.cli;

import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.http.HttpSettings;
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
 * @param handlerThreads threads each of the node's servers (client API, federation) runs request
 *     handlers on; 0 keeps their defaults. A hundred idle nodes in one process need far fewer than
 *     a node of its own that serves busy clients.
 */
record NodeTuning(UnaryOperator<HostConfig> hostConfig, Consumer<Libp2pHost> hostCreated, int handlerThreads) {

    NodeTuning {
        Objects.requireNonNull(hostConfig, "hostConfig");
        Objects.requireNonNull(hostCreated, "hostCreated");
        if (handlerThreads < 0) {
            throw new IllegalArgumentException("handlerThreads must not be negative");
        }
    }

    /** A node of its own: the host as configured, nothing looking at it, default thread pools. */
    static NodeTuning none() {
        return new NodeTuning(UnaryOperator.identity(), host -> { }, 0);
    }

    HttpSettings http(HttpSettings settings) {
        return handlerThreads == 0 ? settings : new HttpSettings(settings.host(), settings.port(),
                settings.maxBodyBytes(), handlerThreads, settings.workerQueue(), settings.perIp(), settings.perUser());
    }

    FederationSettings federation(FederationSettings settings) {
        return handlerThreads == 0 ? settings : new FederationSettings(settings.maxRequestBodyBytes(),
                settings.maxResponseBodyBytes(), settings.requestTimeout(), settings.routeTimeout(), handlerThreads,
                settings.workerQueue(), settings.perPeer());
    }
}
