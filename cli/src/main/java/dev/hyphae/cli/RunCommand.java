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
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.e2ee.RemoteKeys;
import dev.hyphae.node.client.RoomServices;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.federation.FederationStack;
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
import dev.hyphae.node.profile.ProfilePropagation;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.node.push.PushRulesService;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomMemberships;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.sync.E2eeSyncStreams;
import dev.hyphae.node.sync.SyncEndpoints;
import dev.hyphae.node.sync.SyncNotifier;
import dev.hyphae.store.sqlite.SqliteStore;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyphae run}: opens the node's data directory (identity key, SQLite store) and serves the
 * client-server API until interrupted (SIGINT, SIGTERM), and federation (the server-server API) as
 * HTTP/1.1 over libp2p streams.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a node and serve the client-server API until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DataDirectoryOption dataDirectory;

    @Mixin
    Libp2pOptions libp2p;

    @Mixin
    ConfigOption configOption;

    @Mixin
    MdnsOptions mdns;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8008",
            description = "Where to serve the client-server API (default: ${DEFAULT-VALUE}; loopback only).")
    String listen;

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
                        Clock.systemUTC())) {
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
            EndToEndEncryption e2ee = new EndToEndEncryption(store, ServerName.parse(identity.serverName()),
                    RemoteKeys.unavailable(), syncNotifier, clock);
            RoomEventNotifier roomNotifier = new RoomEventNotifier();
            roomNotifier.addListener(syncNotifier);
            AuthorizationRules authorizer = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
            RoomEventSender sender = new RoomEventSender(store, authorizer,
                    new EventSigner(identity.serverName(), identity.signingKey(), random), roomNotifier, clock);
            RoomQueries queries = new RoomQueries(store, authorizer);
            AccountDataService accountData = new AccountDataService(store, syncNotifier);
            FilterService filters = new FilterService(store);
            ClientApi.register(routes, ClientApi.roomGroups(new RoomServices(new RoomCreator(sender, random), sender,
                    new RoomMemberships(sender, store), queries, accountData, new PushRulesService(store, accountData),
                    filters, new ProfileService(store, ProfilePropagation.NONE))));
            ExecutorService syncExecutor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "hyphae-sync");
                thread.setDaemon(true);
                return thread;
            });
            E2eeSyncStreams e2eeStreams = new E2eeSyncStreams(e2ee, queries);
            SyncEndpoints sync = new SyncEndpoints(queries, accountData, filters, syncNotifier, syncExecutor,
                    e2eeStreams.providers());
            routes.register(sync);
            // /keys/changes takes the next_batch tokens of /sync.
            ClientApi.register(routes, ClientApi.endToEndEncryptionGroups(e2ee, uia, store, clock,
                    token -> sync.position(e2eeStreams.deviceLists(), token)));
            // Uploads arrive as one request body, so the server's body limit is raised to the upload limit.
            MediaSettings mediaSettings = MediaSettings.defaults();
            HttpSettings settings = HttpSettings.defaults()
                    .withAddress(listenAddress.getHostString(), listenAddress.getPort())
                    .withMaxBodyBytes((int) Math.min(Integer.MAX_VALUE,
                            Math.max(HttpSettings.defaults().maxBodyBytes(), mediaSettings.maxUploadBytes())));
            routes.register(ClientApi.media(new MediaRepository(store, ServerName.parse(identity.serverName()),
                    new ContentFiles(dataDir), mediaSettings, random, clock), settings.maxBodyBytes()));
            // Federation endpoint groups: register each here, before the libp2p host starts serving.
            // The key and version endpoints are already in the stack; federation.client() calls other servers.
            // federation.register(new ...Endpoints(...));
            Libp2pOptions.start(p2pHost);
            try (MatrixHttpServer server = new MatrixHttpServer(settings, routes, accounts);
                    AutoCloseable stopSync = syncExecutor::shutdownNow) {
                InetSocketAddress bound = server.start();
                String url = "http://" + hostForUrl(bound.getAddress().getHostAddress()) + ":" + bound.getPort();
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                out.println("Hyphae node");
                out.println("  data directory: " + dataDir.toAbsolutePath());
                out.println("  server name:    " + identity.serverName());
                out.println("  peer ID:        " + identity.peerId());
                p2pHost.addresses().forEach(address -> out.println("  p2p listen:     " + address));
                out.println("  known peers:    " + p2pHost.peerStore().size()
                        + (mdns.disabled ? "" : " (mDNS discovery on)"));
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

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
