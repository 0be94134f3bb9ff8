package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.http.RequestDispatcher;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.http.HttpStreamClient;
import dev.hyphae.transport.router.Route;
import dev.hyphae.transport.router.Router;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Federation over libp2p, assembled: the {@link Router} to server names, the route table behind
 * X-Matrix ({@link FederationRoutes} with {@link XMatrixAuthenticator}) holding the key and version
 * endpoints, the server of that table on the host's HTTP streams, and the signing
 * {@link Libp2pFederationClient}.
 *
 * <p>Lifecycle: build it with a host that has not started (it registers the HTTP protocol),
 * {@link #register} every endpoint group, then start the host. Routes must all be added before the
 * host starts, as the route table is read without locks once requests arrive.
 */
public final class FederationStack implements AutoCloseable {
    private final Router router;
    private final FederationRoutes routes;
    private final Libp2pFederationServer server;
    private final FederationSettings settings;
    private final Libp2pFederationClient libp2pClient;
    private volatile FederationClient client;
    /** What {@link #client()} hands out: always the current choice of carriers, so callers may keep it. */
    private final FederationClient current = new FederationClient() {
        @Override
        public CompletableFuture<JsonNode> request(FederationRequest request) {
            return client.request(request);
        }

        @Override
        public CompletableFuture<FederationBytes> requestBytes(FederationRequest request) {
            return client.requestBytes(request);
        }
    };

    /**
     * @param keys       the keys of other servers (for onion server names: {@code new OnionServerKeys()})
     * @param moreRoutes routes the router tries after the host's own (relay, onion service)
     * @param version    the implementation version shown at {@code /_matrix/federation/v1/version}
     */
    public FederationStack(NodeIdentity identity, Libp2pHost host, ServerKeyLookup keys, List<Route> moreRoutes,
            FederationSettings settings, String version, Clock clock) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(host, "host");
        if (!host.peerId().toBase58().equals(identity.peerId())) {
            throw new IllegalArgumentException("the host's peer ID is not the node identity's");
        }
        this.router = Router.forHost(host, moreRoutes, settings.routeTimeout());
        this.routes = new FederationRoutes(new RouteTable(),
                new XMatrixAuthenticator(identity.serverName(), keys, clock));
        routes.register(new ServerKeysEndpoints(identity.serverName(), identity.signingKey(), clock,
                ServerKeysEndpoints.DEFAULT_VALIDITY));
        routes.register(new VersionEndpoints(version));
        this.server = new Libp2pFederationServer(routes.table(), settings, routes.standing());
        server.installOn(host);
        this.settings = settings;
        this.libp2pClient = new Libp2pFederationClient(new XMatrixSigner(identity.serverName(), identity.signingKey()),
                router, new HttpStreamClient(settings.requestTimeout(), settings.maxResponseBodyBytes()));
        this.client = libp2pClient;
    }

    /** Adds a group of federation endpoints; before the host starts. */
    public FederationStack register(FederationEndpointGroup group) {
        routes.register(group);
        return this;
    }

    public FederationRoutes routes() {
        return routes;
    }

    /** The signing client other servers are called with: libp2p, unless {@link #useClient} chose carriers. */
    public FederationClient client() {
        return current;
    }

    /** The client that calls other servers over libp2p only. */
    public FederationClient libp2pClient() {
        return libp2pClient;
    }

    /**
     * Makes {@link #client()} send through {@code carriers} from now on, e.g. a
     * {@link CarrierFederationClient} of libp2p then Tor. Clients taken from {@link #client()}
     * before follow the change.
     */
    public void useClient(FederationClient carriers) {
        this.client = Objects.requireNonNull(carriers, "carriers");
    }

    public FederationSettings settings() {
        return settings;
    }

    /** Serves the federation routes on other carriers with the same workers and rate limits. */
    RequestDispatcher dispatcher() {
        return server.dispatcher();
    }

    public Router router() {
        return router;
    }

    /** Stops the federation workers; the host is closed by its owner. */
    @Override
    public void close() {
        server.close();
    }
}
