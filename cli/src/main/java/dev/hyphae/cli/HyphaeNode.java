package dev.hyphae.cli;

import dev.hyphae.node.upgrade.DirectoryEntries;
import dev.hyphae.node.upgrade.UserRoomSettings;
import dev.hyphae.node.upgrade.RoomUpgradeEndpoints;
import dev.hyphae.node.upgrade.RoomUpgrader;
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
import dev.hyphae.node.client.DirectoryServices;
import dev.hyphae.node.client.RoomServices;
import dev.hyphae.node.directory.FederationDirectory;
import dev.hyphae.node.directory.PublicRoomsFederationEndpoints;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.federation.CarrierFederationClient;
import dev.hyphae.node.federation.CarrierPolicyFilter;
import dev.hyphae.node.federation.EduOutbox;
import dev.hyphae.node.federation.EduReceiver;
import dev.hyphae.node.federation.FederationClient;
import dev.hyphae.node.federation.PolicyFederationClient;
import dev.hyphae.node.federation.RoomTransportPolicies;
import dev.hyphae.node.federation.FederationSettings;
import dev.hyphae.node.federation.FederationStack;
import dev.hyphae.node.federation.TorCarrier;
import dev.hyphae.node.federation.e2ee.DeviceListUpdates;
import dev.hyphae.node.federation.e2ee.E2eeEduReceivers;
import dev.hyphae.node.federation.e2ee.FederatedRemoteKeys;
import dev.hyphae.node.federation.e2ee.RemoteDeviceListPruning;
import dev.hyphae.node.federation.e2ee.RemoteDeviceLists;
import dev.hyphae.node.federation.e2ee.UserKeysEndpoints;
import dev.hyphae.node.federation.media.FederatedMedia;
import dev.hyphae.node.federation.rooms.FederatedProfiles;
import dev.hyphae.node.federation.media.MediaFederationEndpoints;
import dev.hyphae.node.federation.outbound.FederationSender;
import dev.hyphae.node.mailbox.DhtRecordDirectory;
import dev.hyphae.node.mailbox.MailboxComponent;
import dev.hyphae.node.mailbox.RecordDirectory;
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
import dev.hyphae.node.media.RemoteMediaCache;
import dev.hyphae.node.media.MediaSettings;
import dev.hyphae.node.metrics.MetricsServer;
import dev.hyphae.node.presence.PresenceEduReceiver;
import dev.hyphae.node.presence.PresenceEndpoints;
import dev.hyphae.node.presence.PresenceService;
import dev.hyphae.node.presence.PresenceStreamProvider;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.node.push.PushRulesService;
import dev.hyphae.node.receipts.ReceiptEduReceiver;
import dev.hyphae.node.receipts.ReceiptEndpoints;
import dev.hyphae.node.receipts.ReceiptService;
import dev.hyphae.node.receipts.ReceiptsStreamProvider;
import dev.hyphae.node.roomserver.MemberEventPropagation;
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
import dev.hyphae.node.unread.NotificationCounter;
import dev.hyphae.node.unread.UnreadNotificationsStreamProvider;
import dev.hyphae.store.sqlite.SqliteStore;
import dev.hyphae.store.sqlite.SqliteStoreOptions;
import dev.hyphae.transport.libp2p.host.HostConfig;
import dev.hyphae.transport.libp2p.host.Libp2pHost;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import dev.hyphae.transport.tor.TorException;
import dev.hyphae.node.sync.SentMembersMemory;
import dev.hyphae.node.userdirectory.UserDirectory;
import dev.hyphae.node.search.RoomEventSearch;
import dev.hyphae.node.search.EventIndexer;
import dev.hyphae.node.e2ee.DeviceLists;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Hyphae node: its identity and SQLite store, the client-server API on Netty,
 * federation over libp2p and over its onion service, the outbound queue, and the timers. This is
 * the node's whole wiring; {@code hyphae run} starts one per process, a test network many per JVM.
 */
final class HyphaeNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HyphaeNode.class);

    private final NodeSettings settings;
    private final PrintWriter out;
    // Closed in reverse order of opening: the HTTP server and timers first, the store last.
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private NodeIdentity identity;
    private SqliteStore store;
    private Libp2pHost host;
    private TorCarrier tor;
    /** The tor running now, whether started before serving or in the background. */
    private final AtomicReference<TorCarrier> runningTor = new AtomicReference<>();
    private InetSocketAddress clientAddress;
    private InetSocketAddress metricsAddress;

    private HyphaeNode(NodeSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Opens the data directory and starts serving; on failure everything opened so far is closed
     * again and the failure is thrown. Tor progress and late Tor outcomes are printed to {@code out}.
     */
    static HyphaeNode start(NodeSettings settings, PrintWriter out) {
        HyphaeNode node = new HyphaeNode(settings, out);
        try {
            node.open();
            return node;
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T opened(T resource) {
        opened.push(resource);
        return resource;
    }

    /** A pool of this node's own, stopped when the node closes (unlike shared ones). */
    private <T extends ExecutorService> T ownPool(T pool) {
        opened.push(pool::shutdownNow);
        return pool;
    }

    private void open() {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        Path dataDir = settings.dataDir();
        identity = NodeIdentity.loadOrCreate(dataDir, random);
        String serverName = identity.serverName();
        NodeTuning tuning = settings.tuning();
        store = opened(SqliteStore.open(tuning.store(SqliteStoreOptions.inDirectory(dataDir))));
        // The host's peer store lives in the database, so known peers survive restarts; the host
        // closes before the store, so its last writes still land.
        HostConfig hostConfig = HostConfig.defaults(settings.p2pListen(), settings.bootstrap());
        if (settings.mdns().isPresent()) {
            hostConfig = hostConfig.withMdns(settings.mdns().get());
        }
        hostConfig = tuning.hostConfig().apply(hostConfig);
        host = opened(new Libp2pHost(PrivateKey.fromSeed(identity.seed()), hostConfig, random, clock,
                new StorePeerPersistence(store, clock), tuning.hostResources()));
        settings.tuning().hostCreated().accept(host);
        FederationStack federation = opened(new FederationStack(identity, host, new OnionServerKeys(), List.of(),
                settings.tuning().federation(FederationSettings.defaults()), HyphaeVersion.implementationVersion(), clock));
        // Mailboxes: deposits for destinations that stay unreachable, fetches of this node's own.
        MailboxComponent mailbox = opened(new MailboxComponent(identity, store, settings.mailbox(),
                () -> Optional.ofNullable(runningTor.get()).orElseThrow(() -> new IllegalStateException(
                        "tor is not running")).tor().socksAddress(),
                settings.libp2p() && tuning.mailboxRecords() ? new DhtRecordDirectory(host.dht(), PrivateKey.fromSeed(identity.seed()))
                        : RecordDirectory.NONE, clock, random, tuning.shared().map(SharedResources::timers)));
        federation.register(mailbox.endpoints());
        FederationSender federationSender = opened(new FederationSender(store, mailbox.outbound(federation.client()),
                serverName, OutboundSettings.defaults(), clock, random));
        AccountSettings accountSettings = AccountSettings.defaults();
        SyncNotifier syncNotifier = new SyncNotifier();
        DeviceListUpdates deviceListUpdates = new DeviceListUpdates(serverName, clock, federationSender.queuedNotice());
        // A deleted device is a device list change, recorded in the unit that deletes it.
        AccountService accounts = new AccountService(store, ServerName.parse(serverName),
                new PasswordHasher(Argon2Settings.recommended(), random), accountSettings, random, clock,
                new DeviceLists(store, syncNotifier, deviceListUpdates)::devicesDeleted);
        RegistrationTokens tokens = new RegistrationTokens();
        settings.registrationTokens().forEach(token -> tokens.add(token, 1));
        UserInteractiveAuth uia = new UserInteractiveAuth(accounts, tokens, accountSettings, random, clock);
        // Clients are told the URL they used themselves (their Host header): the node may be
        // reached as localhost, 127.0.0.1 or through a forwarded port.
        RouteTable routes = ClientApi.register(new RouteTable(),
                ClientApi.groups(accounts, uia, tokens, new ClientSettings(Optional.empty(), settings.openRegistration())));
        // Rooms, user data, E2EE and /sync: the sync notifier hears of new room events, account
        // data, to-device messages and device list changes.
        // Outbound federation: local events, device list changes and EDUs are queued durably in the
        // write that stores them, and delivered per destination by the sender.
        // Keys of users on other servers are asked of their servers; their device lists are cached.
        RemoteDeviceLists remoteDeviceLists = new RemoteDeviceLists(federation.client(), store, serverName,
                Duration.ofSeconds(30));
        EndToEndEncryption e2ee = new EndToEndEncryption(store, ServerName.parse(serverName),
                new FederatedRemoteKeys(federation.client(), remoteDeviceLists, Duration.ofSeconds(30)), syncNotifier,
                deviceListUpdates, clock);
        RoomEventNotifier roomNotifier = new RoomEventNotifier();
        roomNotifier.addListener(syncNotifier);
        // A remote user's cached device list goes when the user shares no room with a local user.
        ExecutorService deviceListPruning = tuning.shared().map(SharedResources::deviceListPruning)
                .orElseGet(() -> ownPool(Executors.newSingleThreadExecutor(daemon("hyphae-device-list-pruning"))));
        roomNotifier.addListener(new RemoteDeviceListPruning(store, remoteDeviceLists, serverName, deviceListPruning));
        AuthorizationRules authorizer = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
        EventSigner signer = new EventSigner(serverName, identity.signingKey(), random);
        RoomEventSender sender = new RoomEventSender(store, authorizer, signer, roomNotifier,
                new RoomEventFanout(serverName, clock, federationSender.queuedNotice()), clock);
        RoomQueries queries = new RoomQueries(store, authorizer);
        // Every request obeys the transport policies of the rooms whose traffic it carries, sent and received.
        RoomTransportPolicies policyOfRoom = new RoomTransportPolicies(queries);
        roomNotifier.addListener(policyOfRoom);
        federation.routes().filter(new CarrierPolicyFilter(policyOfRoom, room -> {
            try {
                return Optional.of(queries.roomVersion(room));
            } catch (RuntimeException e) {
                return Optional.empty(); // not a room of this node: the refused PDU is not named
            }
        }));
        // Search indexes every event that reaches a room timeline, local or from federation.
        EventIndexer searchIndexer = new EventIndexer(store);
        roomNotifier.addListener(searchIndexer);
        searchIndexer.catchUp();
        ClientApi.register(routes, ClientApi.searchGroups(new RoomEventSearch(store, queries, searchIndexer),
                new UserDirectory(store, queries)));
        AccountDataService accountData = new AccountDataService(store, syncNotifier);
        FilterService filters = new FilterService(store);
        PushRulesService pushRules = new PushRulesService(store, accountData);
        NotificationCounter notificationCounter = new NotificationCounter(store, queries);
        roomNotifier.addStoredEventListener(notificationCounter);
        // A changed display name or avatar is sent as a new member event to each joined room.
        ExecutorService profileUpdates = tuning.shared().map(SharedResources::profileUpdates)
                .orElseGet(() -> ownPool(Executors.newSingleThreadExecutor(daemon("hyphae-profile-updates"))));
        ProfileService profiles = new ProfileService(store, new MemberEventPropagation(sender, queries, profileUpdates),
                ServerName.parse(serverName), new FederatedProfiles(federation.client()));
        // Typing, receipts and presence go to other servers best-effort, batched with the PDUs.
        EduOutbox eduOutbox = federationSender;
        RoomServers roomServers = new RoomServers(queries, serverName);
        TypingService typing = new TypingService(clock, syncNotifier, roomServers, eduOutbox);
        ReceiptService receipts = new ReceiptService(store, queries, accountData, roomServers, syncNotifier,
                eduOutbox, clock);
        PresenceService presence = new PresenceService(clock, syncNotifier, roomServers, eduOutbox);
        // Rooms across servers: the federation endpoints of rooms, and joins and invites that reach
        // other servers through federation.client() (libp2p, then Tor).
        Map<String, EduReceiver> eduReceivers = new HashMap<>(
                E2eeEduReceivers.of(e2ee, serverName, syncNotifier::wake, remoteDeviceLists));
        federation.register(new UserKeysEndpoints(e2ee, store, serverName));
        eduReceivers.put("m.typing", new TypingEduReceiver(typing, roomServers));
        eduReceivers.put("m.receipt", new ReceiptEduReceiver(receipts, roomServers));
        eduReceivers.put("m.presence", new PresenceEduReceiver(presence, queries));
        FederationRooms federationRooms = new FederationRooms(store, sender, signer, new OnionServerKeys(),
                federation.client(), profiles, eduReceivers, clock, FederationRooms.DEFAULT_TIMEOUT);
        federationRooms.endpointGroups().forEach(federation::register);
        // The room directory: aliases of other servers and their public rooms are asked over federation.
        DirectoryServices directory = DirectoryServices.of(store, queries, serverName,
                new FederationDirectory(federation.client(), FederationRooms.DEFAULT_TIMEOUT), settings.turn(), clock);
        federation.register(new PublicRoomsFederationEndpoints(directory.publicRooms()));
        // Join events carry the joining user's display name and avatar.
        RoomCreator roomCreator = new RoomCreator(sender, random, federationRooms.memberships(),
                profiles::addMemberFields);
        ClientApi.register(routes, ClientApi.roomGroups(new RoomServices(roomCreator, sender,
                new RoomMemberships(sender, store, federationRooms.memberships(), profiles::addMemberFields), queries,
                accountData, pushRules, filters, profiles), directory));
        routes.register(new RoomUpgradeEndpoints(new RoomUpgrader(roomCreator, sender, queries,
                DirectoryEntries.of(directory.aliases(), directory.publicRooms()),
                UserRoomSettings.of(accountData, pushRules))));
        ExecutorService syncExecutor = tuning.shared().map(SharedResources::sync)
                .orElseGet(() -> ownPool(Executors.newFixedThreadPool(2, daemon("hyphae-sync"))));
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
                new UnreadNotificationsStreamProvider(notificationCounter, receipts,
                        queries)));
        SyncEndpoints sync = new SyncEndpoints(queries, accountData, filters, syncNotifier, syncExecutor, streams,
                SentMembersMemory.durable(store));
        routes.register(sync);
        // /keys/changes takes the next_batch tokens of /sync.
        ClientApi.register(routes, ClientApi.endToEndEncryptionGroups(e2ee, uia, store, clock,
                token -> sync.position(e2eeStreams.deviceLists(), token)));
        // Typing times out and idle users turn unavailable without any request to notice it.
        ScheduledExecutorService ephemeralTimer = tuning.shared().map(SharedResources::timers)
                .orElseGet(() -> ownPool(Executors.newSingleThreadScheduledExecutor(daemon("hyphae-ephemeral-timer"))));
        ScheduledFuture<?> expiry = ephemeralTimer.scheduleWithFixedDelay(() -> {
            try {
                typing.expireDue();
                presence.expireIdle();
            } catch (RuntimeException e) {
                // A failed round must not end the timer; the next round tries again.
                LOG.warn("Expiring typing and presence failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        opened(() -> expiry.cancel(false));
        // Uploads arrive as one request body, so the server's body limit is raised to the upload limit.
        MediaSettings mediaSettings = MediaSettings.defaults();
        InetSocketAddress listen = settings.clientListen();
        HttpSettings httpSettings = settings.clientRateLimits().applyTo(settings.tuning().http(HttpSettings.defaults()))
                .withAddress(listen.getHostString(), listen.getPort())
                .withMaxBodyBytes((int) Math.min(Integer.MAX_VALUE,
                        Math.max(HttpSettings.defaults().maxBodyBytes(), mediaSettings.maxUploadBytes())));
        // Media of other servers is fetched over federation on first download and kept.
        ContentFiles contentFiles = new ContentFiles(dataDir);
        MediaRepository media = new MediaRepository(store, ServerName.parse(serverName), contentFiles, mediaSettings,
                random, clock, new FederatedMedia(federation.client()), new RemoteMediaCache(dataDir, contentFiles),
                MediaRepository.DEFAULT_REMOTE_TIMEOUT);
        routes.register(ClientApi.media(media, httpSettings.maxBodyBytes()));
        federation.register(new MediaFederationEndpoints(media, serverName, random));
        // Tor asked for (or the only carrier) must be up before the node serves; Tor that is merely
        // available starts beside the running node, so clients never wait for tor to bootstrap.
        FederationClient libp2pClient = settings.libp2p() ? federation.libp2pClient() : null;
        if (settings.tor() == NodeSettings.TorMode.REQUIRED) {
            tor = opened(startTor(federation));
        }
        AtomicReference<CarrierFederationClient> carriers = new AtomicReference<>();
        Consumer<CarrierFederationClient> useCarriers = client -> {
            carriers.set(client);
            federation.useClient(new PolicyFederationClient(client, policyOfRoom));
        };
        useCarriers.accept(CarrierFederationClient.libp2pThenTor(libp2pClient, tor == null ? null : tor.client()));
        if (settings.tor() == NodeSettings.TorMode.BACKGROUND) {
            opened(new BackgroundTor(() -> startTor(federation), useCarriers, libp2pClient, out).start());
        }
        // A destination that connects again gets its queue at once, not after its backoff, and over libp2p first.
        federation.router().onConnected(address -> {
            carriers.get().forget(address.serverName());
            federationSender.peerSeen(address.serverName());
        });
        // So does one that reaches us first: its signed request shows it is up again.
        federation.routes().onOrigin(federationSender::originSeen);
        if (settings.metricsListen().isPresent()) {
            InetSocketAddress metricsListen = settings.metricsListen().get();
            MetricsServer metrics = opened(new MetricsServer(
                    new InetSocketAddress(metricsListen.getHostString(), metricsListen.getPort()),
                    NodeMetrics.of(federationSender.metrics(), carriers::get, host, settings.libp2p(), syncNotifier,
                            mailbox::itemsTooLarge)));
            metricsAddress = metrics.start();
        }
        MatrixHttpServer server = opened(tuning.shared()
                .map(shared -> new MatrixHttpServer(httpSettings, routes, accounts, shared.eventLoops(),
                        shared.clientHandlers()))
                .orElseGet(() -> new MatrixHttpServer(httpSettings, routes, accounts)));
        clientAddress = server.start();
        // What the client API does not wait for starts once it serves; a failure still fails the start.
        // Every federation endpoint group is registered above: libp2p and the onion service serve them from here on.
        if (settings.libp2p()) {
            try {
                host.start();
            } catch (IOException e) {
                throw new UncheckedIOException("libp2p: " + e.getMessage(), e);
            }
        }
        federationSender.start();
        mailbox.start(federation.routes().table());
    }

    /** Starts tor, printing its bootstrap progress, and publishes the node's onion service. */
    private TorCarrier startTor(FederationStack federation) {
        try {
            TorCarrier started = TorCarrier.start(identity, federation, settings.torConfig(),
                    TorOptions.progressPrinter(out), TorCarrier.DEFAULT_START_TIMEOUT);
            runningTor.set(started);
            return started;
        } catch (TorException | IllegalArgumentException e) {
            throw new IllegalStateException("tor: " + e.getMessage(), e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    NodeIdentity identity() {
        return identity;
    }

    SqliteStore store() {
        return store;
    }

    Libp2pHost host() {
        return host;
    }

    NodeSettings settings() {
        return settings;
    }

    /** The onion service published before the node started serving ({@link NodeSettings.TorMode#REQUIRED}). */
    Optional<TorCarrier> tor() {
        return Optional.ofNullable(tor);
    }

    /** Where the client-server API listens. */
    InetSocketAddress clientAddress() {
        return clientAddress;
    }

    /** The homeserver URL to give a client. */
    String url() {
        return "http://" + hostForUrl(clientAddress.getAddress().getHostAddress()) + ":" + clientAddress.getPort();
    }

    Optional<InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(metricsAddress);
    }

    static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the node failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
