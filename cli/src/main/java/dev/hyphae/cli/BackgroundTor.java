package dev.hyphae.cli;

import dev.hyphae.node.federation.CarrierFederationClient;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.TorCarrier;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tor started beside a running node rather than before it: when Tor is on only because a tor
 * binary was found, the client API must not wait for tor to bootstrap (minutes, or never on a
 * machine without a route to the Tor network). Once the onion service is published, federation
 * requests fall back to it; until then and when it fails, they go over libp2p alone.
 */
final class BackgroundTor implements AutoCloseable {
    private final AtomicReference<TorCarrier> carrier = new AtomicReference<>();
    private final Thread starter;
    private volatile boolean closed;

    /**
     * @param use takes the carriers to send with once the onion service is up: libp2p, then Tor
     */
    BackgroundTor(Supplier<TorCarrier> start, Consumer<CarrierFederationClient> use, FederationClient libp2p,
            PrintWriter out) {
        starter = new Thread(() -> {
            try {
                TorCarrier started = start.get();
                synchronized (this) {
                    if (closed) {
                        started.close();
                        return;
                    }
                    carrier.set(started);
                }
                use.accept(CarrierFederationClient.libp2pThenTor(libp2p, started.client()));
                print(out, "tor: onion service published: " + started.onionAddress());
            } catch (RuntimeException e) {
                if (!closed) {
                    print(out, "tor: not used: " + e.getMessage());
                }
            }
        }, "hyphae-tor-start");
        starter.setDaemon(true);
    }

    BackgroundTor start() {
        starter.start();
        return this;
    }

    Optional<TorCarrier> carrier() {
        return Optional.ofNullable(carrier.get());
    }

    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public void close() {
        TorCarrier started;
        synchronized (this) {
            closed = true;
            started = carrier.getAndSet(null);
        }
        starter.interrupt();
        if (started != null) {
            started.close();
        }
    }
}
