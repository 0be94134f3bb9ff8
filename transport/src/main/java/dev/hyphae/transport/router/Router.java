package dev.hyphae.transport.router;

import dev.hyphae.transport.libp2p.connection.Connection;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a server name into a live libp2p connection. The name {@code <56 base32>.onion} is the
 * onion address of the node's Ed25519 key, so the peer ID comes from the name itself; the routes
 * are then tried in order until one connects: by default a live connection, the peer store's
 * addresses, a DHT lookup ({@link Libp2pRoutes}), then any routes added after those (circuit
 * relay, the onion service). The whole attempt is bounded by a timeout.
 *
 * <p>Callers that wait for a destination (a sending queue) subscribe with {@link #onConnected}
 * and retry as soon as the destination connects, in either direction.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final Libp2pHost host;
    private final List<Route> routes;
    private final Duration timeout;

    /**
     * @param routes  the routes in the order they are tried
     * @param timeout the longest one {@link #connect} may take over all routes
     */
    public Router(Libp2pHost host, List<Route> routes, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.routes = List.copyOf(routes);
        if (this.routes.isEmpty()) {
            throw new IllegalArgumentException("a router needs at least one route");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = timeout;
    }

    /**
     * The host's own routes ({@link Libp2pRoutes#of}) followed by {@code more} (relay, onion
     * service: the extension point for carriers built elsewhere).
     */
    public static Router forHost(Libp2pHost host, List<Route> more, Duration timeout) {
        List<Route> all = new ArrayList<>(Libp2pRoutes.of(host));
        all.addAll(more);
        return new Router(host, all, timeout);
    }

    /**
     * A live connection to the node named {@code serverName}. Fails with
     * {@link IllegalArgumentException} when the name is not a v3 onion address (only those are
     * routed: the key, and so the peer, is read from the name), and with
     * {@link UnreachableException} when no route connected within the timeout, each route's
     * failure attached as suppressed.
     */
    public CompletableFuture<Connection> connect(String serverName) {
        OnionAddress destination;
        try {
            destination = OnionAddress.parse(serverName);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                "cannot route to '" + serverName + "': " + e.getMessage(), e));
        }
        return connect(destination);
    }

    /** {@link #connect(String)} for a parsed address. */
    public CompletableFuture<Connection> connect(OnionAddress destination) {
        if (destination.peerId().equals(host.peerId())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                destination + " is this node; it is not routed to itself"));
        }
        List<RouteFailedException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Connection> result = new CompletableFuture<>();
        tryRoute(destination, 0, result, failures);
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                return CompletableFuture.failedFuture(unreachable(destination,
                    "no route connected within " + timeout.toMillis() + " ms", failures));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private void tryRoute(OnionAddress destination, int index, CompletableFuture<Connection> result,
                          List<RouteFailedException> failures) {
        if (result.isDone()) {
            return;
        }
        if (index >= routes.size()) {
            result.completeExceptionally(unreachable(destination, "no route connected", failures));
            return;
        }
        Route route = routes.get(index);
        CompletableFuture<Connection> attempt;
        try {
            attempt = route.connect(destination);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((connection, error) -> {
            if (error == null && connection != null && !connection.remotePeer().equals(destination.peerId())) {
                // A route must never hand over a connection to another peer: answers on it would not come from the destination.
                failures.add(new RouteFailedException(route.name(), "connected to " + connection.remotePeer()
                    + ", not to " + destination.peerId(), null));
                tryRoute(destination, index + 1, result, failures);
                return;
            }
            if (error == null && connection != null && connection.channel().isActive()) {
                LOG.debug("reached {} by {}", destination, route.name());
                if (!result.complete(connection)) {
                    LOG.debug("connection to {} by {} came after the deadline", destination, route.name());
                }
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String reason = cause == null ? "connection closed" : String.valueOf(cause.getMessage());
            failures.add(new RouteFailedException(route.name(), reason, cause));
            tryRoute(destination, index + 1, result, failures);
        });
    }

    private static UnreachableException unreachable(OnionAddress destination, String why,
                                                    List<RouteFailedException> failures) {
        List<RouteFailedException> tried;
        synchronized (failures) {
            tried = List.copyOf(failures);
        }
        StringBuilder reason = new StringBuilder(why);
        for (RouteFailedException f : tried) {
            reason.append("; ").append(f.getMessage());
        }
        UnreachableException e = new UnreachableException(destination.serverName(), reason.toString());
        tried.forEach(e::addSuppressed);
        return e;
    }

    /**
     * Calls {@code listener} with the onion address of each node that connects from now on, inbound
     * or outbound, so a sender can retry at once. Called on a network thread: must not block.
     * Returns what unsubscribes.
     */
    public Runnable onConnected(Consumer<OnionAddress> listener) {
        Objects.requireNonNull(listener, "listener");
        return host.addConnectionListener(connection -> {
            Optional<OnionAddress> address = connection.remotePeer().publicKey().map(OnionAddress::of);
            address.ifPresent(listener);
        });
    }

    /** The routes in the order they are tried. */
    public List<Route> routes() {
        return routes;
    }

    /** One route's failure, kept as a suppressed exception of {@link UnreachableException}. */
    public static final class RouteFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        RouteFailedException(String route, String reason, Throwable cause) {
            super(route + ": " + reason, cause, false, false);
        }
    }
}
