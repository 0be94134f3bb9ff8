package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.InitialStateEvent;
import dev.hyphae.store.Account;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event retrieval and membership endpoints as another server sees them. */
class EventEndpointsTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private FederatedTestNode outsider;
    private String alice;
    private String roomId;

    @BeforeEach
    void shareARoom() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        outsider = new FederatedTestNode(dir.resolve("c"), 3, network);
        alice = a.user("alice");
        roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));
        a.memberships.invite(roomId, alice, b.user("bob"), null, false);
        b.memberships.join(roomId, b.user("bob"), null, List.of());
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
        outsider.close();
    }

    @Test
    void serverInTheRoomGetsAnEventTheStateBeforeItAndItsAuthChain() {
        String message = a.sendText(roomId, alice, "hi");

        JsonNode event = get(b, "/event/" + enc(message));
        assertEquals(message, a.event(message).eventId());
        assertEquals("hi", event.path("pdus").get(0).path("content").path("body").asText());

        JsonNode stateIds = get(b, "/state_ids/" + enc(roomId) + "?event_id=" + enc(message));
        assertEquals(new HashSet<>(a.queries.stateIdsBefore(message).orElseThrow().values()),
                strings(stateIds.path("pdu_ids")));
        JsonNode state = get(b, "/state/" + enc(roomId) + "?event_id=" + enc(message));
        assertEquals(stateIds.path("pdu_ids").size(), state.path("pdus").size());

        JsonNode auth = get(b, "/event_auth/" + enc(roomId) + "/" + enc(message));
        Set<String> chainTypes = new HashSet<>();
        auth.path("auth_chain").forEach(pdu -> chainTypes.add(pdu.path("type").asText()));
        assertTrue(chainTypes.containsAll(Set.of("m.room.create", "m.room.power_levels", "m.room.member")),
                chainTypes.toString());
    }

    @Test
    void backfillWalksBackFromTheGivenEventsNewestFirst() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(a.sendText(roomId, alice, "m" + i));
        }

        JsonNode answer = get(b, "/backfill/" + enc(roomId) + "?v=" + enc(sent.get(4)) + "&limit=3");

        List<String> ids = new ArrayList<>();
        answer.path("pdus").forEach(pdu -> ids.add(FederatedIds.eventId(a, pdu)));
        assertEquals(List.of(sent.get(4), sent.get(3), sent.get(2)), ids);
    }

    @Test
    void serverWithNoUserInTheRoomIsRefused() {
        String message = a.sendText(roomId, alice, "private");

        assertEquals(403, status(outsider, FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/state_ids/" + enc(roomId) + "?event_id=" + enc(message))));
        assertEquals(403, status(outsider, FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/event/" + enc(message))));
    }

    @Test
    void makeJoinRefusesAServerThatDoesNotSupportTheRoomVersion() {
        String carol = outsider.user("carol");
        FederationException refused = failure(outsider, FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/make_join/" + enc(roomId) + "/" + enc(carol) + "?ver=1&ver=2"));

        assertEquals(400, refused.status());
        assertEquals("M_INCOMPATIBLE_ROOM_VERSION", refused.errcode());
    }

    @Test
    void makeJoinIsOnlyForTheAskingServersOwnUsers() {
        assertEquals(403, status(outsider, FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/make_join/" + enc(roomId) + "/" + enc(b.user("eve")) + "?ver=12")));
    }

    @Test
    void getMissingEventsAnswersTheEventsBetweenEarliestAndLatestOldestFirst() {
        String m1 = a.sendText(roomId, alice, "1");
        String m2 = a.sendText(roomId, alice, "2");
        String m3 = a.sendText(roomId, alice, "3");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("earliest_events").add(m1);
        body.putArray("latest_events").add(m3);
        body.put("limit", 10);

        JsonNode answer = b.network.clientOf(b.serverName).request(FederationRequest.post(a.serverName,
                FederationPaths.V1 + "/get_missing_events/" + enc(roomId), body)).join();

        List<String> ids = new ArrayList<>();
        answer.path("events").forEach(pdu -> ids.add(FederatedIds.eventId(a, pdu)));
        assertEquals(List.of(m2), ids);
    }

    @Test
    void userOfAnotherServerKnocksOnAKnockableRoom() {
        String knockRoom = a.creator.createRoom(new CreateRoomRequest(alice, "12", null, null, null, null, null,
                List.of(), false, null, List.of(new InitialStateEvent("m.room.join_rules", "",
                        JsonNodeFactory.instance.objectNode().put("join_rule", "knock"))), null));
        String carol = outsider.user("carol");
        JsonNode template = outsider.network.clientOf(outsider.serverName).request(FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/make_knock/" + enc(knockRoom) + "/" + enc(carol) + "?ver=12")).join();
        ObjectNode event = (ObjectNode) template.path("event").deepCopy();
        event.put("origin_server_ts", System.currentTimeMillis());
        Pdu knock = outsider.signer.finish(event, RoomVersions.get(template.path("room_version").asText()));

        JsonNode answer = outsider.network.clientOf(outsider.serverName).request(FederationRequest.put(a.serverName,
                FederationPaths.V1 + "/send_knock/" + enc(knockRoom) + "/" + enc(knock.eventId()), knock.json())).join();

        assertEquals("knock", a.queries.membership(knockRoom, carol).orElseThrow());
        Set<String> strippedTypes = new HashSet<>();
        answer.path("knock_room_state").forEach(stripped -> strippedTypes.add(stripped.path("type").asText()));
        assertTrue(strippedTypes.containsAll(Set.of("m.room.create", "m.room.join_rules")), answer.toString());
    }

    @Test
    void makeKnockOnAnInviteOnlyRoomIsRefused() {
        assertEquals(403, status(outsider, FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/make_knock/" + enc(roomId) + "/" + enc(outsider.user("carol")) + "?ver=12")));
    }

    @Test
    void profileQueryAnswersALocalUsersDisplayName() {
        a.store.write(tx -> {
            tx.accounts().create(new Account(alice, null, 1L, false, false));
            tx.profileFields().put(alice, "displayname", "\"Alice\"");
            return null;
        }).join();

        JsonNode profile = get(b, "/query/profile?user_id=" + enc(alice) + "&field=displayname");

        assertEquals("Alice", profile.path("displayname").asText());
        assertEquals(404, status(b, FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/query/profile?user_id=" + enc(a.user("nobody")))));
    }

    private JsonNode get(FederatedTestNode from, String path) {
        return from.network.clientOf(from.serverName)
                .request(FederationRequest.get(a.serverName, FederationPaths.V1 + path)).join();
    }

    private static int status(FederatedTestNode from, FederationRequest request) {
        return failure(from, request).status();
    }

    private static FederationException failure(FederatedTestNode from, FederationRequest request) {
        try {
            from.network.clientOf(from.serverName).request(request).join();
            throw new AssertionError("request succeeded: " + request.uri());
        } catch (CompletionException e) {
            return (FederationException) e.getCause();
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> strings = new HashSet<>();
        array.forEach(node -> strings.add(node.asText()));
        return strings;
    }

    private static String enc(String value) {
        return FederationPaths.encode(value);
    }
}
