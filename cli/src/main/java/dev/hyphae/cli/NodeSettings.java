package dev.hyphae.cli;

import dev.hyphae.node.client.TurnSettings;
import dev.hyphae.node.mailbox.MailboxSettings;
import dev.hyphae.transport.libp2p.mdns.MdnsConfig;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.tor.TorConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a node is started with: what {@code hyphae run} reads from flags, environment and
 * config file, and what a test network gives each of its nodes.
 *
 * @param clientListen where the client-server API listens (port 0: any free port)
 * @param libp2p whether federation uses libp2p (listener and requests)
 * @param tor whether and how the node runs tor for its onion service
 * @param registrationTokens tokens good for one account each
 * @param turn the TURN servers offered to clients for calls
 * @param mailbox the mailboxes that serve this node, and the one it serves
 * @param tuning what differs for a node that shares its process with others ({@link NodeTuning#none()} otherwise)
 * @param clientRateLimits the client-server API's rate limits per address and per user
 */
record NodeSettings(Path dataDir, InetSocketAddress clientListen, boolean libp2p, List<Multiaddr> p2pListen,
        List<Multiaddr> bootstrap, Optional<MdnsConfig> mdns, TorMode tor, TorConfig torConfig,
        Optional<InetSocketAddress> metricsListen, boolean openRegistration, List<String> registrationTokens,
        TurnSettings turn, MailboxSettings mailbox, NodeTuning tuning, ClientRateLimits clientRateLimits) {

    /** How a node uses Tor. */
    enum TorMode {
        /** No tor process, no onion service. */
        OFF,
        /** Tor starts beside the running node; the client API does not wait for it, failure is reported. */
        BACKGROUND,
        /** Tor must be up before the node serves; failing to start it fails the start. */
        REQUIRED
    }

    NodeSettings {
        p2pListen = List.copyOf(p2pListen);
        bootstrap = List.copyOf(bootstrap);
        registrationTokens = List.copyOf(registrationTokens);
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(clientRateLimits, "clientRateLimits");
        if (!libp2p && tor == TorMode.OFF) {
            throw new IllegalArgumentException("without libp2p, Tor is the only carrier, but Tor is off");
        }
        Objects.requireNonNull(mailbox, "mailbox");
        if (tor == TorMode.OFF && (!mailbox.mailboxes().isEmpty() || mailbox.serve().isPresent())) {
            throw new IllegalArgumentException("mailboxes are reached over Tor, but Tor is off");
        }
    }

    /** A node with the default client API rate limits. */
    NodeSettings(Path dataDir, InetSocketAddress clientListen, boolean libp2p, List<Multiaddr> p2pListen,
            List<Multiaddr> bootstrap, Optional<MdnsConfig> mdns, TorMode tor, TorConfig torConfig,
            Optional<InetSocketAddress> metricsListen, boolean openRegistration, List<String> registrationTokens,
            TurnSettings turn, MailboxSettings mailbox, NodeTuning tuning) {
        this(dataDir, clientListen, libp2p, p2pListen, bootstrap, mdns, tor, torConfig, metricsListen, openRegistration,
                registrationTokens, turn, mailbox, tuning, ClientRateLimits.defaults());
    }

    /** A node of its own in its process, without a TURN server and without mailboxes. */
    NodeSettings(Path dataDir, InetSocketAddress clientListen, boolean libp2p, List<Multiaddr> p2pListen,
            List<Multiaddr> bootstrap, Optional<MdnsConfig> mdns, TorMode tor, TorConfig torConfig,
            Optional<InetSocketAddress> metricsListen, boolean openRegistration, List<String> registrationTokens) {
        this(dataDir, clientListen, libp2p, p2pListen, bootstrap, mdns, tor, torConfig, metricsListen, openRegistration,
                registrationTokens, TurnSettings.NONE, MailboxSettings.defaults(), NodeTuning.none());
    }
}
