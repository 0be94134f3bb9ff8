package dev.hyphae.cli;

import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AccountSettings;
import dev.hyphae.node.account.Argon2Settings;
import dev.hyphae.node.account.PasswordHasher;
import dev.hyphae.node.account.RegistrationTokens;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.client.ClientApi;
import dev.hyphae.node.client.ClientSettings;
import dev.hyphae.node.client.RoomServices;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.e2ee.RemoteKeys;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.federation.CarrierFederationClient;
import dev.hyphae.node.federation.EduOutbox;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.federation.FederationStack;
import dev.hyphae.node.federation.TorCarrier;
import dev.hyphae.node.federation.e2ee.DeviceListUpdates;
import dev.hyphae.node.federation.e2ee.E2eeEduReceivers;
import dev.hyphae.node.federation.outbound.FederationSender;
import dev.hyphae.node.federation.outbound.OutboundSettings;
import dev.hyphae.node.federation.outbound.RoomEventFanout;
import dev.hyphae.node.federation.rooms.FederationRooms;
import dev.hyphae.node.filter.FilterService;
import dev.hyphae.node.http.HttpSettings;
import dev.hyphae.node.http.MatrixHttpServer;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.media.ContentFiles;
import dev.hyphae.node.media.MediaRepository;
import dev.hyphae.node.media.MediaSettings;
import dev.hyphae.node.metrics.MetricsServer;
import dev.hyphae.node.presence.PresenceEduReceiver;
import dev.hyphae.node.presence.PresenceEndpoints;
import dev.hyphae.node.presence.PresenceService;
import dev.hyphae.node.presence.PresenceStreamProvider;
import dev.hyphae.node.profile.ProfilePropagation;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.node.push.PushRulesService;
import dev.hyphae.node.receipts.ReceiptEduReceiver;
import dev.hyphae.node.receipts.ReceiptEndpoints;
import dev.hyphae.node.receipts.ReceiptService;
import dev.hyphae.node.receipts.ReceiptsStreamProvider;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomMemberships;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.sync.E2eeSyncStreams;
import dev.hyphae.node.sync.StreamProvider;
import dev.hyphae.node.sync.SyncEndpoints;
import dev.hyphae.node.sync.SyncNotifier;
import dev.hyphae.node.typing.TypingEduReceiver;
import dev.hyphae.node.typing.TypingEndpoints;
import dev.hyphae.node.typing.TypingService;
import dev.hyphae.node.typing.TypingStreamProvider;
import dev.hyphae.node.unread.UnreadCounter;
import dev.hyphae.node.unread.UnreadNotificationsStreamProvider;
import dev.hyphae.store.sqlite.SqliteStore;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.tor.TorException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyphae run}: opens the node's data directory (identity key, SQLite store) and serves the
 * client-server API until interrupted (SIGINT, SIGTERM), and federation (the server-server API) as
 * HTTP/1.1 over libp2p streams and over the node's onion service (Tor); requests to other servers
 * go over libp2p first and over Tor when libp2p does not reach them.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a node and serve the client-server API until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    DataDirectoryOption dataDirectory;

    @Mixin
    Libp2pOptions libp2p;

    @Mixin
    TorOptions torOptions;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--no-libp2p",
            description = "Federate over Tor only: no libp2p listener, no libp2p requests (default: libp2p on).")
    boolean noLibp2p;

    @Mixin
    MdnsOptions mdns;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8008",
            description = "Where to serve the client-server API (default: ${DEFAULT-VALUE}; loopback only).")
    String listen;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics (totals only) at http://HOST:PORT/metrics; loopback only (default: off).")
    String metricsListen;

    @Option(names = "--open-registration",
            description = "Let anyone who reaches the API register an account (default: off).")
    boolean openRegistration;

    @Option(names = "--registration-token", paramLabel = "TOKEN", split = ",",
            description = "A registration token good for one account; may be repeated.")
    List<String> registrationTokens = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        InetSocketAddress listenAddress = parseListen(listen);
        Path dataDir = dataDirectory.resolve();
        boolean useTor = torOptions.enabled();
        if (noLibp2p && !useTor) {
            throw new ParameterException(spec.commandLine(),
                    "--no-libp2p leaves Tor as the only carrier, but Tor is off (--no-tor, or no tor binary found)");
        }
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDir, new SecureRandom());
        var out = spec.commandLine().getOut();
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdownHook = new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hyphae-shutdown");
        // The host's peer store lives in the database, so known peers survive restarts; the host
        // closes before the store, so its last writes still land.
        try (SqliteStore store = SqliteStore.openInDirectory(dataDir);
                Libp2pHost p2pHost = libp2p.newHost(identity, new SecureRandom(), mdns.config(new SecureRandom()),
                        new StorePeerPersistence(store, Clock.systemUTC()));
                FederationStack federation = new FederationStack(identity, p2pHost, new OnionServerKeys(),
                        List.of(), FederationSettings.defaults(), HyphaeVersion.implementationVersion(),
                        Clock.systemUTC());
                // Declared after the store and the carriers, so it stops before them.
                FederationSender federationSender = new FederationSender(store, federation.client(),
                        identity.serverName(), OutboundSettings.defaults(), Clock.systemUTC(), new SecureRandom())) {
            SecureRandom random = new SecureRandom();
            Clock clock = Clock.systemUTC();
            AccountSettings accountSettings = AccountSettings.defaults();
            AccountService accounts = new AccountService(store, ServerName.parse(identity.serverName()),
                    new PasswordHasher(Argon2Settings.recommended(), random), accountSettings, random, clock);
            RegistrationTokens tokens = new RegistrationTokens();
            registrationTokens.forEach(token -> tokens.add(token, 1));
            UserInteractiveAuth uia = new UserInteractiveAuth(accounts, tokens, accountSettings, random, clock);
            // Clients are told the URL they used themselves (their Host header): the node may be
            // reached as localhost, 127.0.0.1 or through a forwarded port.
            RouteTable routes = ClientApi.register(new RouteTable(),
                    ClientApi.groups(accounts, uia, tokens, new ClientSettings(Optional.empty(), openRegistration)));
            // Rooms, user data, E2EE and /sync: the sync notifier hears of new room events, account
            // data, to-device messages and device list changes.
            SyncNotifier syncNotifier = new SyncNotifier();
            // Outbound federation: local events, device list changes and EDUs are queued durably in the
            // write that stores them, and delivered per destination by the sender.
            String serverName = identity.serverName();
            EndToEndEncryption e2ee = new EndToEndEncryption(store, ServerName.parse(serverName),
                    RemoteKeys.unavailable(), syncNotifier,
                    new DeviceListUpdates(serverName, clock, federationSender.queuedNotice()), clock);
            RoomEventNotifier roomNotifier = new RoomEventNotifier();
            roomNotifier.addListener(syncNotifier);
            AuthorizationRules authorizer = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
            EventSigner signer = new EventSigner(serverName, identity.signingKey(), random);
            RoomEventSender sender = new RoomEventSender(store, authorizer, signer, roomNotifier,
                    new RoomEventFanout(serverName, clock, federationSender.queuedNotice()), clock);
            RoomQueries queries = new RoomQueries(store, authorizer);
            AccountDataService accountData = new AccountDataService(store, syncNotifier);
            FilterService filters = new FilterService(store);
            PushRulesService pushRules = new PushRulesService(store, accountData);
            ProfileService profiles = new ProfileService(store, ProfilePropagation.NONE);
            // Typing, receipts and presence go to other servers best-effort, batched with the PDUs.
            EduOutbox eduOutbox = federationSender;
            RoomServers roomServers = new RoomServers(queries, identity.serverName());
            TypingService typing = new TypingService(clock, syncNotifier, roomServers, eduOutbox);
            ReceiptService receipts = new ReceiptService(store, queries, accountData, roomServers, syncNotifier,
                    eduOutbox, clock);
            PresenceService presence = new PresenceService(clock, syncNotifier, roomServers, eduOutbox);
            // Rooms across servers: the federation endpoints of rooms, and joins and invites that reach
            // other servers through federation.client() (libp2p, then Tor).
            Map<String, EduReceiver> eduReceivers = new HashMap<>(
                    E2eeEduReceivers.of(e2ee, serverName, syncNotifier::wake, user -> { }));
            eduReceivers.put("m.typing", new TypingEduReceiver(typing, roomServers));
            eduReceivers.put("m.receipt", new ReceiptEduReceiver(receipts, roomServers));
            eduReceivers.put("m.presence", new PresenceEduReceiver(presence, queries));
            FederationRooms federationRooms = new FederationRooms(store, sender, signer, new OnionServerKeys(),
                    federation.client(), profiles, eduReceivers, clock, FederationRooms.DEFAULT_TIMEOUT);
            federationRooms.endpointGroups().forEach(federation::register);
            ClientApi.register(routes, ClientApi.roomGroups(new RoomServices(
                    new RoomCreator(sender, random, federationRooms.memberships()), sender,
                    new RoomMemberships(sender, store, federationRooms.memberships()), queries, accountData, pushRules,
                    filters, profiles)));
            ExecutorService syncExecutor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "hyphae-sync");
                thread.setDaemon(true);
                return thread;
            });
            routes.register(new TypingEndpoints(typing, roomServers));
            routes.register(new ReceiptEndpoints(receipts));
            routes.register(new PresenceEndpoints(presence, roomServers));
            E2eeSyncStreams e2eeStreams = new E2eeSyncStreams(e2ee, queries);
            List<StreamProvider> streams = new ArrayList<>(e2eeStreams.providers());
            streams.addAll(List.of(
                    new TypingStreamProvider(typing, queries),
                    new ReceiptsStreamProvider(receipts, queries),
                    new PresenceStreamProvider(presence, queries),
                    // After the streams that add rooms: it adds the counts to every room they added.
                    new UnreadNotificationsStreamProvider(new UnreadCounter(queries, receipts, pushRules), receipts,
                            queries)));
            SyncEndpoints sync = new SyncEndpoints(queries, accountData, filters, syncNotifier, syncExecutor, streams);
            routes.register(sync);
            // /keys/changes takes the next_batch tokens of /sync.
            ClientApi.register(routes, ClientApi.endToEndEncryptionGroups(e2ee, uia, store, clock,
                    token -> sync.position(e2eeStreams.deviceLists(), token)));
            // Typing times out and idle users turn unavailable without any request to notice it.
            ScheduledExecutorService ephemeralTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "hyphae-ephemeral-timer");
                thread.setDaemon(true);
                return thread;
            });
            ephemeralTimer.scheduleWithFixedDelay(() -> {
                try {
                    typing.expireDue();
                    presence.expireIdle();
                } catch (RuntimeException e) {
                    // A failed round must not end the timer; the next round tries again.
                    LOG.warn("Expiring typing and presence failed", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
            // Uploads arrive as one request body, so the server's body limit is raised to the upload limit.
            MediaSettings mediaSettings = MediaSettings.defaults();
            HttpSettings settings = HttpSettings.defaults()
                    .withAddress(listenAddress.getHostString(), listenAddress.getPort())
                    .withMaxBodyBytes((int) Math.min(Integer.MAX_VALUE,
                            Math.max(HttpSettings.defaults().maxBodyBytes(), mediaSettings.maxUploadBytes())));
            routes.register(ClientApi.media(new MediaRepository(store, ServerName.parse(identity.serverName()),
                    new ContentFiles(dataDir), mediaSettings, random, clock), settings.maxBodyBytes()));
            // Every federation endpoint group is registered above: libp2p and the onion service serve them from here on.
            if (!noLibp2p) {
                Libp2pOptions.start(p2pHost);
            }
            // Tor asked for (or the only carrier) must be up before the node serves; Tor that is merely
            // available starts beside the running node, so clients never wait for tor to bootstrap.
            boolean torFirst = useTor && (torOptions.required() || noLibp2p);
            TorCarrier tor = torFirst ? startTor(identity, federation, dataDir, out) : null;
            AtomicReference<CarrierFederationClient> carriers = new AtomicReference<>();
            Consumer<CarrierFederationClient> useCarriers = client -> {
                carriers.set(client);
                federation.useClient(client);
            };
            useCarriers.accept(CarrierFederationClient.libp2pThenTor(noLibp2p ? null : federation.libp2pClient(),
                    tor == null ? null : tor.client()));
            BackgroundTor backgroundTor = new BackgroundTor(() -> torOptions.start(identity, federation, dataDir, out),
                    useCarriers, federation.libp2pClient(), out);
            MetricsServer metrics = metricsListen == null ? null : new MetricsServer(resolved(parseListen(metricsListen)),
                    NodeMetrics.of(federationSender.metrics(), carriers::get, p2pHost, !noLibp2p, syncNotifier));
            // A destination that connects again gets its queue at once, not after its backoff.
            federation.router().onConnected(address -> federationSender.peerSeen(address.serverName()));
            federationSender.start();
            try (AutoCloseable stopTor = tor == null ? () -> { } : tor;
                    BackgroundTor stopBackgroundTor = useTor && !torFirst ? backgroundTor.start() : backgroundTor;
                    AutoCloseable stopMetrics = metrics == null ? () -> { } : metrics;
                    MatrixHttpServer server = new MatrixHttpServer(settings, routes, accounts);
                    AutoCloseable stopSync = syncExecutor::shutdownNow;
                    AutoCloseable stopTimer = ephemeralTimer::shutdownNow) {
                InetSocketAddress bound = server.start();
                String url = "http://" + hostForUrl(bound.getAddress().getHostAddress()) + ":" + bound.getPort();
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                out.println("Hyphae node");
                out.println("  data directory: " + dataDir.toAbsolutePath());
                out.println("  server name:    " + identity.serverName());
                out.println("  peer ID:        " + identity.peerId());
                if (noLibp2p) {
                    out.println("  p2p:            off (--no-libp2p)");
                } else {
                    p2pHost.addresses().forEach(address -> out.println("  p2p listen:     " + address));
                    out.println("  known peers:    " + p2pHost.peerStore().size()
                            + (mdns.disabled ? "" : " (mDNS discovery on)"));
                }
                out.println("  onion service:  " + (tor != null ? tor.onionAddress() + " (published)"
                        : useTor && !torFirst ? "starting (tor bootstraps in the background)"
                        : useTor ? "unavailable (tor did not start)" : "off"));
                if (metrics != null) {
                    InetSocketAddress metricsAddress = metrics.start();
                    out.println("  metrics:        http://" + hostForUrl(metricsAddress.getAddress().getHostAddress()) + ":"
                            + metricsAddress.getPort() + "/metrics");
                }
                out.println("  database:       schema version " + store.schemaVersion());
                out.println("  registration:   " + (openRegistration ? "open" : "closed")
                        + (registrationTokens.isEmpty() ? "" : " (" + registrationTokens.size() + " tokens)"));
                out.println("Homeserver URL: " + url);
                out.flush();
                stopRequested.await();
            } catch (InterruptedException e) {
                // Interrupted by the embedding thread: stop like on SIGINT.
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("stopping the node failed", e);
            }
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // The JVM is already shutting down, or the hook was never added.
            }
        }
        out.println("Hyphae node stopped.");
        return 0;
    }

    /**
     * Starts tor and publishes the node's onion service. When it fails, the node goes on without
     * Tor unless Tor was asked for ({@code --tor}) or is the only carrier ({@code --no-libp2p}).
     */
    private TorCarrier startTor(NodeIdentity identity, FederationStack federation, Path dataDir,
            PrintWriter out) {
        try {
            return torOptions.start(identity, federation, dataDir, out);
        } catch (TorException | IllegalArgumentException e) {
            if (torOptions.required() || noLibp2p) {
                throw new IllegalStateException("tor: " + e.getMessage(), e);
            }
            out.println("tor: not used: " + e.getMessage());
            out.flush();
            return null;
        }
    }

    private InetSocketAddress parseListen(String value) {
        try {
            return parseListenAddress(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--listen " + e.getMessage());
        }
    }

    /** HOST:PORT, with IPv6 hosts in brackets ({@code [::1]:8008}). */
    static InetSocketAddress parseListenAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("must be HOST:PORT, not '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number: '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static InetSocketAddress resolved(InetSocketAddress address) {
        return new InetSocketAddress(address.getHostString(), address.getPort());
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
