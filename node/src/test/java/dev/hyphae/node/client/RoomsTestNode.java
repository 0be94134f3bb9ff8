package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.account.AccountService;
import dev.hyphae.node.account.AccountSettings;
import dev.hyphae.node.account.Argon2Settings;
import dev.hyphae.node.account.PasswordHasher;
import dev.hyphae.node.account.RegistrationTokens;
import dev.hyphae.node.account.UserInteractiveAuth;
import dev.hyphae.node.accountdata.AccountDataService;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.directory.RemoteDirectory;
import dev.hyphae.node.directory.ResolvedAlias;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.filter.FilterService;
import dev.hyphae.node.http.HttpSettings;
import dev.hyphae.node.http.MatrixHttpServer;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.profile.ProfilePropagation;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.node.presence.PresenceEndpoints;
import dev.hyphae.node.presence.PresenceService;
import dev.hyphae.node.presence.PresenceStreamProvider;
import dev.hyphae.node.push.PushRulesService;
import dev.hyphae.node.receipts.ReceiptEndpoints;
import dev.hyphae.node.receipts.ReceiptService;
import dev.hyphae.node.receipts.ReceiptsStreamProvider;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.node.upgrade.DirectoryEntries;
import dev.hyphae.node.upgrade.UserRoomSettings;
import dev.hyphae.node.upgrade.RoomUpgradeEndpoints;
import dev.hyphae.node.upgrade.RoomUpgrader;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomMemberships;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.search.EventIndexer;
import dev.hyphae.node.search.RoomEventSearch;
import dev.hyphae.node.userdirectory.UserDirectory;
import dev.hyphae.node.e2ee.DeviceLists;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.e2ee.RemoteKeys;
import dev.hyphae.node.sync.E2eeSyncStreams;
import dev.hyphae.node.sync.SentMembersMemory;
import dev.hyphae.node.sync.StreamProvider;
import dev.hyphae.node.sync.SyncEndpoints;
import dev.hyphae.node.sync.SyncNotifier;
import dev.hyphae.node.typing.TypingEndpoints;
import dev.hyphae.node.typing.TypingService;
import dev.hyphae.node.typing.TypingStreamProvider;
import dev.hyphae.node.unread.NotificationCounter;
import dev.hyphae.node.unread.UnreadNotificationsStreamProvider;
import dev.hyphae.store.Membership;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.IOException;
import java.util.ArrayList;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A node with accounts, the room server, the user data services, the room and E2EE endpoints and /sync on
 * 127.0.0.1 with a free port, and a client whose every response is checked against the spec.
 */
public final class RoomsTestNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpecResponseSchemas SCHEMAS = SpecResponseSchemas.load();

    public final SqliteStore store;
    public final NodeIdentity identity;
    public final AccountService accounts;
    public final EndToEndEncryption e2ee;
    public final SyncNotifier syncNotifier = new SyncNotifier();
    /** The clock of typing, receipts and presence, moved by hand. */
    public final MutableClock ephemeralClock = new MutableClock();
    /** Where typing, receipt and presence EDUs for other servers go. */
    public final RecordingEduOutbox eduOutbox = new RecordingEduOutbox();
    public final RoomQueries queries;
    public final RoomServers roomServers;
    public final TypingService typing;
    public final ReceiptService receipts;
    public final PresenceService presence;
    /** The aliases other servers answer to federation directory queries, by alias. */
    public final Map<String, ResolvedAlias> remoteAliases = new ConcurrentHashMap<>();
    /** The published rooms other servers answer with, by server name. */
    public final Map<String, ObjectNode> remotePublicRooms = new ConcurrentHashMap<>();
    /** Stores events that other servers sent, as federation would. */
    public final RemoteEventWriter remoteWriter;
    private final ExecutorService syncExecutor = Executors.newFixedThreadPool(2);
    private final MatrixHttpServer server;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RoomsTestNode(Path dataDir) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 3);
        identity = NodeIdentity.fromSeed(seed);
        store = SqliteStore.openInDirectory(dataDir);
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        AccountSettings accountSettings = AccountSettings.defaults();
        accounts = new AccountService(store, ServerName.parse(identity.serverName()),
                new PasswordHasher(new Argon2Settings(64, 1, 1), random), accountSettings, random, clock,
                new DeviceLists(store, syncNotifier)::devicesDeleted);
        RegistrationTokens tokens = new RegistrationTokens();
        UserInteractiveAuth uia = new UserInteractiveAuth(accounts, tokens, accountSettings, random, clock);

        RoomEventNotifier roomNotifier = new RoomEventNotifier();
        roomNotifier.addListener(syncNotifier);
        AuthorizationRules authorizer = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
        RoomEventSender sender = new RoomEventSender(store, authorizer,
                new EventSigner(identity.serverName(), identity.signingKey(), random), roomNotifier, clock);
        queries = new RoomQueries(store, authorizer);
        remoteWriter = new RemoteEventWriter(sender, clock);
        AccountDataService accountData = new AccountDataService(store, syncNotifier);
        FilterService filters = new FilterService(store);
        PushRulesService pushRules = new PushRulesService(store, accountData);
        NotificationCounter notificationCounter = new NotificationCounter(store, queries);
        roomNotifier.addStoredEventListener(notificationCounter);
        RoomServices services = new RoomServices(new RoomCreator(sender, random), sender,
                new RoomMemberships(sender, store), queries, accountData, pushRules,
                filters, new ProfileService(store, ProfilePropagation.NONE));

        RouteTable routes = new RouteTable();
        ClientApi.register(routes, ClientApi.groups(accounts, uia, tokens,
                new ClientSettings(Optional.of("http://127.0.0.1"), false)));
        DirectoryServices directory = DirectoryServices.of(store, queries, identity.serverName(), remoteDirectory(),
                TurnSettings.NONE, clock);
        ClientApi.register(routes, ClientApi.roomGroups(services, directory));
        EventIndexer indexer = new EventIndexer(store);
        roomNotifier.addListener(indexer);
        ClientApi.register(routes, ClientApi.searchGroups(new RoomEventSearch(store, queries, indexer),
                new UserDirectory(store, queries)));
        routes.register(new RoomUpgradeEndpoints(new RoomUpgrader(services.creator(), sender, queries,
                DirectoryEntries.of(directory.aliases(), directory.publicRooms()),
                UserRoomSettings.of(accountData, pushRules))));
        e2ee = new EndToEndEncryption(store, ServerName.parse(identity.serverName()), RemoteKeys.unavailable(),
                syncNotifier, clock);
        E2eeSyncStreams e2eeStreams = new E2eeSyncStreams(e2ee, queries);
        roomServers = new RoomServers(queries, identity.serverName());
        typing = new TypingService(ephemeralClock, syncNotifier, roomServers, eduOutbox);
        receipts = new ReceiptService(store, queries, accountData, roomServers, syncNotifier, eduOutbox,
                ephemeralClock);
        presence = new PresenceService(ephemeralClock, syncNotifier, roomServers, eduOutbox);
        routes.register(new TypingEndpoints(typing, roomServers));
        routes.register(new ReceiptEndpoints(receipts));
        routes.register(new PresenceEndpoints(presence, roomServers));
        List<StreamProvider> streams = new ArrayList<>(e2eeStreams.providers());
        streams.addAll(List.of(
                new TypingStreamProvider(typing, queries),
                new ReceiptsStreamProvider(receipts, queries),
                new PresenceStreamProvider(presence, queries),
                new UnreadNotificationsStreamProvider(notificationCounter, receipts,
                        queries)));
        SyncEndpoints sync = new SyncEndpoints(queries, accountData, filters, syncNotifier, syncExecutor, streams,
                SentMembersMemory.durable(store));
        routes.register(sync);
        ClientApi.register(routes, ClientApi.endToEndEncryptionGroups(e2ee, uia, store, clock,
                token -> sync.position(e2eeStreams.deviceLists(), token)));
        server = new MatrixHttpServer(HttpSettings.defaults().withAddress("127.0.0.1", 0), routes, accounts);
        InetSocketAddress address = server.start();
        base = URI.create("http://127.0.0.1:" + address.getPort());
    }

    /** Other servers' directories as {@link #remoteAliases} and {@link #remotePublicRooms} hold them. */
    private RemoteDirectory remoteDirectory() {
        return new RemoteDirectory() {
            @Override
            public ResolvedAlias queryAlias(String serverName, String alias) {
                ResolvedAlias found = remoteAliases.get(alias);
                return found != null ? found : RemoteDirectory.NONE.queryAlias(serverName, alias);
            }

            @Override
            public ObjectNode publicRooms(String serverName, ObjectNode request) {
                ObjectNode found = remotePublicRooms.get(serverName);
                return found != null ? found.deepCopy() : RemoteDirectory.NONE.publicRooms(serverName, request);
            }
        };
    }

    /**
     * Records a remote user as joined to the room, as a federated join would, borrowing the event
     * of a current membership (the table only needs a stored event).
     */
    public void markRemoteMemberJoined(String roomId, String userId) {
        String anyEvent = store.read(tx -> tx.memberships().inRoom(roomId)).get(0).eventId();
        store.write(tx -> {
            tx.memberships().set(new Membership(roomId, userId, "join", anyEvent));
            return null;
        }).join();
    }

    /** How many /sync long polls wait for news now. */
    public int waitingSyncs() {
        return syncNotifier.waitingCount();
    }

    /** A response with its JSON body, already checked against the spec's schema. */
    public record Reply(int status, JsonNode body) {
        public String errcode() {
            return body.path("errcode").asText(null);
        }
    }

    public String userId(String localpart) {
        return "@" + localpart + ":" + identity.serverName();
    }

    /** Creates an account and logs a device in; returns the access token. */
    public String userWithToken(String localpart, String password) {
        accounts.createAccount(localpart, password, false);
        Reply login = send("POST", "/_matrix/client/v3/login", """
                {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": "%s"}, "password": "%s"}
                """.formatted(localpart, password), null);
        assertEquals(200, login.status(), login.body().toString());
        return login.body().get("access_token").asText();
    }

    public Reply get(String path, String token) {
        return send("GET", path, null, token);
    }

    /** {@code POST /createRoom} as the token's user; returns the new room's ID. */
    public String createRoom(String token, String body) {
        Reply created = post("/_matrix/client/v3/createRoom", body, token);
        assertEquals(200, created.status(), created.body().toString());
        return created.body().get("room_id").asText();
    }

    /** The v3 path of a room, {@code /_matrix/client/v3/rooms/<encoded room ID>}. */
    public static String room(String roomId) {
        return "/_matrix/client/v3/rooms/" + encode(roomId);
    }

    /** Sends an {@code m.text} message as the token's user; returns its event ID. */
    public String sendText(String roomId, String token, String txnId, String body) {
        Reply sent = put(room(roomId) + "/send/m.room.message/" + txnId,
                "{\"msgtype\": \"m.text\", \"body\": \"" + body + "\"}", token);
        assertEquals(200, sent.status(), sent.body().toString());
        return sent.body().get("event_id").asText();
    }

    public Reply post(String path, String body, String token) {
        return send("POST", path, body, token);
    }

    public Reply put(String path, String body, String token) {
        return send("PUT", path, body, token);
    }

    public Reply send(String method, String path, String body, String token) {
        return parse(method, path, sendRaw(request(method, path, body, token)));
    }

    /** Sends without waiting for the answer (a long poll), checking the answer when it comes. */
    public CompletableFuture<Reply> sendAsync(String method, String path, String token) {
        return client.sendAsync(request(method, path, null, token), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> parse(method, path, response));
    }

    /** Percent-encodes one path segment or query value. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest request(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return request.build();
    }

    private static Reply parse(String method, String path, HttpResponse<String> response) {
        // The schema cache is not thread-safe, and long polls answer on the client's threads.
        synchronized (SCHEMAS) {
            SCHEMAS.assertValid(method, path, response.statusCode(), response.body());
        }
        try {
            return new Reply(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> sendRaw(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.close();
        syncExecutor.shutdownNow();
        store.close();
    }
}
