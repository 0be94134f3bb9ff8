package dev.hyphae.node.federation;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.transport.tor.BootstrapListener;
import dev.hyphae.transport.tor.OnionService;
import dev.hyphae.transport.tor.TorConfig;
import dev.hyphae.transport.tor.TorHttpClient;
import dev.hyphae.transport.tor.TorProcess;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Federation over Tor, assembled: the node's own tor, the federation routes served behind the
 * node's onion service (published from the node's key, so its address is the server name), and
 * the signing {@link TorFederationClient}. Closing it removes the service and stops tor.
 */
public final class TorCarrier implements AutoCloseable {
    /** How long tor may take to bootstrap and the service to be published, by default. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);

    private final TorProcess tor;
    private final NioEventLoopGroup group;
    private final OnionFederationServer server;
    private final OnionService service;
    private final TorFederationClient client;

    private TorCarrier(TorProcess tor, NioEventLoopGroup group, OnionFederationServer server, OnionService service,
            TorFederationClient client) {
        this.tor = tor;
        this.group = group;
        this.server = server;
        this.service = service;
        this.client = client;
    }

    /**
     * Starts tor, waits until it is bootstrapped, serves {@code federation}'s routes and publishes
     * them as the node's onion service. Register all endpoint groups on {@code federation} first.
     *
     * @param progress told of tor's bootstrap progress, also after tor restarts
     * @param timeout  for bootstrapping, and again for publishing the service
     * @throws dev.hyphae.transport.tor.TorException if tor cannot start, bootstrap or publish in time;
     *                                               whatever was started is stopped
     */
    public static TorCarrier start(NodeIdentity identity, FederationStack federation, TorConfig config,
            BootstrapListener progress, Duration timeout) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(federation, "federation");
        Objects.requireNonNull(timeout, "timeout");
        FederationSettings settings = federation.settings();
        TorProcess tor = TorProcess.start(config, progress);
        NioEventLoopGroup group = null;
        OnionFederationServer server = null;
        try {
            tor.awaitBootstrapped(timeout);
            group = new NioEventLoopGroup(2, new DefaultThreadFactory("hyphae-tor", true));
            server = new OnionFederationServer(group, federation.dispatcher(), settings);
            OnionService service = OnionService.publish(tor, identity.torExpandedSecretKey(), identity.serverName(),
                    server.localAddress(), timeout);
            TorHttpClient http = new TorHttpClient(group, tor::socksAddress, TorHttpClient.DEFAULT_CONNECT_TIMEOUT,
                    settings.requestTimeout(), settings.maxResponseBodyBytes());
            TorFederationClient client = new TorFederationClient(
                    new XMatrixSigner(identity.serverName(), identity.signingKey()), http);
            return new TorCarrier(tor, group, server, service, client);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
            tor.close();
            throw e;
        }
    }

    /** The client that calls other servers over Tor only. */
    public TorFederationClient client() {
        return client;
    }

    /** The onion address the routes are served at: the node's server name. */
    public String onionAddress() {
        return service.address();
    }

    /** The node's tor (bootstrap status, SOCKS address). */
    public TorProcess tor() {
        return tor;
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            try {
                server.close();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
                tor.close();
            }
        }
    }
}
