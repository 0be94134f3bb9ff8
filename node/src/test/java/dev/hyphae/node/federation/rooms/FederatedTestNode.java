package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.auth.HomeserverSignatures;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.RateLimit;
import dev.hyphae.node.http.RateLimiter;
import dev.hyphae.node.http.RequestDispatcher;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.identity.OnionServerKeys;
import dev.hyphae.node.profile.ProfilePropagation;
import dev.hyphae.node.profile.ProfileService;
import dev.hyphae.node.roomserver.EventDraft;
import dev.hyphae.node.roomserver.RoomCreator;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomEventNotifier;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomMemberships;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.TimelineDirection;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node with its own SQLite store and key, the room server, and the room half of federation
 * answering requests from the other nodes of a {@link TestFederation}. Local events reach other
 * nodes only when a test pushes them ({@link #push}), standing in for the outgoing queue.
 */
final class FederatedTestNode implements AutoCloseable {
    private static final AtomicInteger TXN = new AtomicInteger();

    final SqliteStore store;
    final NodeIdentity identity;
    final String serverName;
    final EventSigner signer;
    final RoomEventSender sender;
    final RoomCreator creator;
    final RoomMemberships memberships;
    final RoomQueries queries;
    final FederationRooms federation;
    final RequestDispatcher dispatcher;
    /** The federation routes behind {@link #dispatcher}, for tests that add a filter. */
    final FederationRoutes routes;
    final TestFederation network;
    /** The {@code m.typing} EDUs received, as "origin content". */
    final List<String> typingEdus = new CopyOnWriteArrayList<>();
    /** Event IDs the room event notifier announced, in order. */
    final List<String> notified = new CopyOnWriteArrayList<>();
    /** The room event notifier of {@link #sender}, for tests that add a listener. */
    final RoomEventNotifier notifier;

    FederatedTestNode(Path dataDir, int seed, TestFederation network) {
        byte[] seedBytes = new byte[32];
        Arrays.fill(seedBytes, (byte) seed);
        this.identity = NodeIdentity.fromSeed(seedBytes);
        this.serverName = identity.serverName();
        this.network = network;
        this.store = SqliteStore.openInDirectory(dataDir);
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        this.notifier = new RoomEventNotifier();
        notifier.addListener((roomId, eventId, ordering) -> notified.add(eventId));
        AuthorizationRules authorizer = new AuthorizationRules(HomeserverSignatures.verifiedBefore());
        this.signer = new EventSigner(serverName, identity.signingKey(), random);
        this.sender = new RoomEventSender(store, authorizer, signer, notifier, clock);
        this.queries = new RoomQueries(store, authorizer);
        this.federation = new FederationRooms(store, sender, signer, new OnionServerKeys(),
                network.clientOf(serverName), new ProfileService(store, ProfilePropagation.NONE),
                Map.of("m.typing", (origin, content) -> typingEdus.add(origin + " " + content)), clock,
                Duration.ofSeconds(10));
        this.creator = new RoomCreator(sender, random, federation.memberships());
        this.memberships = new RoomMemberships(sender, store, federation.memberships());
        RouteTable table = new RouteTable();
        this.routes = new FederationRoutes(table, TestFederation.AUTHENTICATOR);
        federation.endpointGroups().forEach(routes::register);
        this.dispatcher = new RequestDispatcher(table, token -> {
            throw new IllegalStateException("no access tokens in federation tests");
        }, new RateLimiter(RateLimit.unlimited()), new RateLimiter(RateLimit.unlimited()), Runnable::run);
        network.add(this);
    }

    String user(String localpart) {
        return "@" + localpart + ":" + serverName;
    }

    String sendText(String roomId, String userId, String body) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("msgtype", "m.text").put("body", body);
        return sender.send(EventDraft.message(roomId, userId, "m.room.message", content)).eventId();
    }

    String sendState(String roomId, String userId, String type, ObjectNode content) {
        return sender.send(EventDraft.state(roomId, userId, type, "", content)).eventId();
    }

    Pdu event(String eventId) {
        return queries.event(eventId).orElseThrow(() -> new AssertionError(eventId + " not stored on " + serverName))
                .pdu();
    }

    /** Sends stored events of this node to {@code destination} in one transaction; returns the per-PDU results. */
    JsonNode push(FederatedTestNode destination, String... eventIds) {
        return pushAs(serverName, destination, "t" + TXN.incrementAndGet(), eventJsons(eventIds));
    }

    List<JsonNode> eventJsons(String... eventIds) {
        List<JsonNode> jsons = new ArrayList<>();
        for (String id : eventIds) {
            jsons.add(event(id).json());
        }
        return jsons;
    }

    /** PUT /send/{txnId} to {@code destination} as {@code origin} with {@code pdus}. */
    JsonNode pushAs(String origin, FederatedTestNode destination, String txnId, List<JsonNode> pdus) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", origin);
        body.put("origin_server_ts", System.currentTimeMillis());
        ArrayNode array = body.putArray("pdus");
        pdus.forEach(array::add);
        return network.clientOf(origin).request(FederationRequest.put(destination.serverName,
                FederationPaths.V1 + "/send/" + txnId, body)).join().path("pdus");
    }

    /** The room's current state, (type, state key) to event ID. */
    Map<StateKey, String> state(String roomId) {
        Map<StateKey, String> state = new HashMap<>();
        queries.currentState(roomId).forEach((key, event) -> state.put(key, event.eventId()));
        return state;
    }

    /** The event IDs of the room's timeline in stream order. */
    List<String> timeline(String roomId) {
        return queries.timeline(roomId, null, TimelineDirection.FORWARDS, 1000).events().stream()
                .map(RoomEvent::eventId).toList();
    }

    Set<String> extremities(String roomId) {
        return store.read(tx -> tx.forwardExtremities().get(roomId));
    }

    @Override
    public void close() {
        store.close();
    }
}
