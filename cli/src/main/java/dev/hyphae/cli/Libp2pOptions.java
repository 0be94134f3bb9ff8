package dev.hyphae.cli;

import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The node's libp2p settings: where it listens and which peers bootstrap its DHT. By default it
 * listens on {@value #DEFAULT_LISTEN} only, like the client-server API: the node is reached over
 * Tor, and listening on other interfaces is the operator's choice ({@code --p2p-listen /ip4/0.0.0.0/tcp/4001}).
 */
final class Libp2pOptions {
    static final String DEFAULT_LISTEN = "/ip4/127.0.0.1/tcp/4001";

    @Option(names = "--p2p-listen", paramLabel = "MULTIADDR", split = ",",
            description = "A TCP multiaddr for libp2p to listen on; may be repeated (default: " + DEFAULT_LISTEN + ").")
    List<String> listen = new ArrayList<>();

    @Option(names = "--bootstrap", paramLabel = "MULTIADDR", split = ",",
            description = "A DHT bootstrap peer, /ip4/…/tcp/…/p2p/<peer ID>; may be repeated.")
    List<String> bootstrap = new ArrayList<>();

    List<Multiaddr> listenAddrs() {
        return parseAll(listen.isEmpty() ? List.of(DEFAULT_LISTEN) : listen);
    }

    List<Multiaddr> bootstrapPeers() {
        return parseAll(bootstrap);
    }

    private static List<Multiaddr> parseAll(List<String> texts) {
        return texts.stream().map(Libp2pOptions::parse).toList();
    }

    /** A multiaddr from the command line, or an exception whose message says what is wrong with it. */
    static Multiaddr parse(String text) {
        try {
            return Multiaddr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid multiaddr '" + text + "': " + e.getMessage(), e);
        }
    }
}
