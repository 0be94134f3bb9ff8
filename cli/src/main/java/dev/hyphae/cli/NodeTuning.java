package dev.hyphae.cli;

import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.http.HttpSettings;
import dev.hyphae.store.sqlite.SqliteStoreOptions;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.HostResources;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.yamux.YamuxConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a node started many to a process changes from a node of its own: its libp2p host's settings
 * (all peers of a test network share one IP, so the per-IP inbound limit of a public node would
 * throttle them), a look at the host before it starts (to count its bytes or cut its links), fewer
 * threads and connections, threads shared with the other nodes, and timeouts that allow for a
 * process where a hundred nodes share two cores.
 *
 * @param hostConfig turns the host settings {@code hyphae run} would use into the ones to use
 * @param hostCreated called with the host once created, before it listens or dials
 * @param handlerThreads threads each of the node's servers (client API, federation) runs request
 *     handlers on; 0 keeps their defaults. A hundred idle nodes in one process need far fewer than
 *     a node of its own that serves busy clients. Client API handlers on {@code shared} threads
 *     ignore it.
 * @param yamux the tuning of the host's connections (keep-alive)
 * @param readConnections SQLite read connections of the node's store; 0 keeps the default
 * @param shared threads the node borrows instead of making its own; empty: its own
 * @param mailboxRecords whether the node publishes its mailbox record in the DHT and looks up
 *     others' there. Nodes without Tor cannot deposit into a mailbox or fetch from one, and a
 *     hundred nodes of one process publishing every ten minutes (and looking records up for every
 *     destination their senders wait on) crowd the DHT and the process for nothing.
 */
record NodeTuning(UnaryOperator<HostConfig> hostConfig, Consumer<Libp2pHost> hostCreated, int handlerThreads,
        YamuxConfig yamux, int readConnections, Optional<SharedResources> shared,
        boolean mailboxRecords) {

    NodeTuning {
        Objects.requireNonNull(hostConfig, "hostConfig");
        Objects.requireNonNull(hostCreated, "hostCreated");
        Objects.requireNonNull(yamux, "yamux");
        Objects.requireNonNull(shared, "shared");
        if (handlerThreads < 0 || readConnections < 0) {
            throw new IllegalArgumentException("handlerThreads and readConnections must not be negative");
        }
    }

    /** A node of its own: the host as configured, nothing looking at it, its own threads with their defaults. */
    static NodeTuning none() {
        return new NodeTuning(UnaryOperator.identity(), host -> { }, 0, YamuxConfig.defaults(), 0,
                Optional.empty(), true);
    }

    HttpSettings http(HttpSettings settings) {
        return handlerThreads == 0 ? settings : new HttpSettings(settings.host(), settings.port(),
                settings.maxBodyBytes(), handlerThreads, settings.workerQueue(), settings.perIp(), settings.perUser());
    }

    FederationSettings federation(FederationSettings settings) {
        return handlerThreads == 0 ? settings : new FederationSettings(
                settings.maxRequestBodyBytes(), settings.maxResponseBodyBytes(), settings.requestTimeout(),
                settings.routeTimeout(), handlerThreads, settings.workerQueue(), settings.perPeer());
    }

    SqliteStoreOptions store(SqliteStoreOptions options) {
        return readConnections == 0 ? options : new SqliteStoreOptions(options.databaseFile(), readConnections,
                options.maxBatchUnits(), options.busyTimeout(), options.commitLinger());
    }

    /** The host's event loops (shared or its own) and yamux tuning. */
    HostResources hostResources() {
        return new HostResources(shared.map(SharedResources::eventLoops), yamux);
    }
}
