package dev.hyphae.node.federation;

import dev.hyphae.node.http.MatrixChannelHandler;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.RateLimit;
import dev.hyphae.node.http.RateLimiter;
import dev.hyphae.node.http.RequestDispatcher;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.http.HttpProtocol;
import dev.hyphae.transport.libp2p.http.HttpStreamServer;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the federation route table on the HTTP/1.1 streams remotes open to this node's libp2p
 * host: the same dispatcher and channel handler as the client-server API, with no access tokens
 * (federation routes check X-Matrix instead), the remote's peer ID standing in for its address,
 * and handlers on a bounded pool of workers of its own. Each peer has the per-peer rate limit of
 * the settings, raised for peers in good standing ({@link PeerStanding}).
 */
public final class Libp2pFederationServer implements AutoCloseable {
    /** The carrier name requests served here carry, as transport policies name it. */
    public static final String CARRIER = "libp2p";

    private final ThreadPoolExecutor workers;
    private final RequestDispatcher dispatcher;
    private final FederationSettings settings;

    public Libp2pFederationServer(RouteTable routes, FederationSettings settings, PeerStanding standing) {
        Objects.requireNonNull(standing, "standing");
        this.settings = Objects.requireNonNull(settings, "settings");
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.workerQueue()), runnable -> {
                    Thread thread = new Thread(runnable, "hyphae-federation-worker-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.dispatcher = new RequestDispatcher(routes, token -> {
            throw new MatrixException(401, MatrixException.M_UNAUTHORIZED, "Federation requests carry no access token");
        }, new RateLimiter(peer -> standing.limitOf(peer, settings.perPeer()), System::nanoTime),
                new RateLimiter(RateLimit.unlimited()), workers);
    }

    /** Serves {@value HttpProtocol#ID} on {@code host}; call before the host starts. */
    public void installOn(Libp2pHost host) {
        host.registerProtocol(HttpProtocol.ID, new HttpStreamServer(settings.maxRequestBodyBytes(),
                settings.requestTimeout(), stream -> MatrixChannelHandler.forRemote(dispatcher,
                        host.remotePeerOf(stream).map(PeerId::toBase58).orElse("unknown-peer"), CARRIER)));
    }

    /** The dispatcher of the federation routes, shared with the other carriers' servers (Tor). */
    RequestDispatcher dispatcher() {
        return dispatcher;
    }

    /** Stops the workers; streams still open are answered 500 or closed with the host. */
    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
