package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.connection.JsLibp2pPeer;
import java.io.IOException;

/**
 * A js-libp2p peer with {@code @libp2p/kad-dht} as a DHT server (src/test/js/kad-peer.mjs), run by
 * {@link JsLibp2pPeer}; its commands are answered by a line starting with the expected prefix or
 * with {@code <command>-ERR}.
 */
final class JsKadPeer implements AutoCloseable {
    private final JsLibp2pPeer peer;

    private JsKadPeer(JsLibp2pPeer peer) {
        this.peer = peer;
    }

    static boolean nodeAvailable() {
        return JsLibp2pPeer.nodeAvailable();
    }

    static JsKadPeer start(String protocolId) throws Exception {
        return new JsKadPeer(JsLibp2pPeer.start("kad-peer.mjs", protocolId));
    }

    /** The listen address, ending in {@code /p2p/<id>}. */
    String listenAddress() {
        return peer.listenAddress();
    }

    String peerId() {
        String address = peer.listenAddress();
        return address.substring(address.lastIndexOf('/') + 1);
    }

    /** Sends a command and returns the first line answering it ({@code <prefix>} or {@code <command>-ERR}). */
    String command(String command, String answerPrefix, long timeoutSeconds) throws IOException, InterruptedException {
        peer.send(command);
        return peer.expectAny(timeoutSeconds, answerPrefix, command.split(" ")[0] + "-ERR");
    }

    @Override
    public void close() throws IOException {
        peer.close();
    }
}
