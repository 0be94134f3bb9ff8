package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.connection.JsLibp2pPeer;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The js peers ({@code relay-peer.mjs}) and Java hosts (serving {@link Echo}) a relay interop test
 * starts, all stopped by {@link #close()}.
 */
final class JsRelayPeers implements AutoCloseable {
    private final SecureRandom random = new SecureRandom();
    private final List<AutoCloseable> running = new ArrayList<>();

    /** A js peer started with {@code args} ({@code relay}, {@code peer}, ...). */
    JsLibp2pPeer js(String... args) throws Exception {
        JsLibp2pPeer peer = JsLibp2pPeer.start("relay-peer.mjs", args);
        running.add(peer);
        return peer;
    }

    /** A started Java host with a new key, serving the echo protocol. */
    Libp2pHost host(HostConfig config) throws Exception {
        Libp2pHost host = new Libp2pHost(PrivateKey.generate(random), config, random, Clock.systemUTC());
        running.add(host);
        host.registerProtocol(Echo.ID, Echo.server());
        host.start();
        return host;
    }

    /** The peer ID at the end of a js peer's listen address. */
    static PeerId peerOf(JsLibp2pPeer js) {
        String listen = js.listenAddress();
        return PeerId.parse(listen.substring(listen.lastIndexOf('/') + 1));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }
}
