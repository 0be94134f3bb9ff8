package dev.hyphae.node.federation;

import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.Handler;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RouteTable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The route table of the server-server API: every route added with {@link #add} checks the
 * request's X-Matrix signature first and hands its handler the origin.
 */
public final class FederationRoutes {
    private final RouteTable table;
    private final OriginAuthenticator authenticator;
    private final List<Consumer<String>> originListeners = new CopyOnWriteArrayList<>();
    private final PeerStanding standing = new PeerStanding();
    private volatile FederationFilter filter = FederationFilter.NONE;

    public FederationRoutes(RouteTable table, OriginAuthenticator authenticator) {
        this.table = Objects.requireNonNull(table, "table");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /** Adds an endpoint that only signed requests reach. */
    public FederationRoutes add(Method method, String template, FederationHandler handler) {
        Objects.requireNonNull(handler, "handler");
        table.add(method, template, Authentication.NONE, request -> {
            String origin = authenticator.authenticate(request);
            originListeners.forEach(listener -> listener.accept(origin));
            return filter.handle(origin, request, handler);
        });
        return this;
    }

    /** Tells {@code listener} the origin of every signed request, once its signature is checked. */
    public FederationRoutes onOrigin(Consumer<String> listener) {
        originListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Runs {@code filter} around every signed endpoint from now on, added before or after (such as
     * the rooms' transport policies, which are known only once the room server runs).
     */
    public FederationRoutes filter(FederationFilter filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /** Adds an endpoint anyone may call unsigned, such as the server's own keys. */
    public FederationRoutes addPublic(Method method, String template, Handler handler) {
        table.add(method, template, Authentication.NONE, handler);
        return this;
    }

    public FederationRoutes register(FederationEndpointGroup group) {
        group.register(this);
        return this;
    }

    /** The peers in good standing, which the endpoints that see their transactions keep up to date. */
    public PeerStanding standing() {
        return standing;
    }

    public RouteTable table() {
        return table;
    }
}
