package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Server Access Control Lists": once a room's ACL denies a server, the resident server answers
 * that server's room requests with 403 M_FORBIDDEN, ignores its PDUs for the room with an error per
 * event, and drops its typing notifications and receipts for the room; allowed servers go on.
 */
class ServerAclEnforcementTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private FederatedTestNode c;
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void threeServersShareAPublicRoom() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        c = new FederatedTestNode(dir.resolve("c"), 3, network);
        alice = a.user("alice");
        bob = b.user("bob");
        roomId = a.creator.createRoom(new CreateRoomRequest(alice, null, null, "public", null, null, null, List.of(),
                false, null, List.of(), null));
        b.memberships.join(roomId, bob, null, List.of(a.serverName));
        c.memberships.join(roomId, c.user("carol"), null, List.of(a.serverName));
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
        c.close();
    }

    private void denyB() {
        ObjectNode acl = JsonNodeFactory.instance.objectNode();
        acl.putArray("allow").add("*");
        acl.putArray("deny").add(b.serverName);
        acl.put("allow_ip_literals", false);
        a.sendState(roomId, alice, "m.room.server_acl", acl);
    }

    @Test
    void deniedServerGetsForbiddenOnEveryProtectedRoomEndpoint() {
        String message = a.sendText(roomId, alice, "before the ACL");
        denyB();
        String room = enc(roomId);
        String user = enc(bob);
        List<FederationRequest> protectedRequests = List.of(
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/make_join/" + room + "/" + user + "?ver=12"),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/make_leave/" + room + "/" + user),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/make_knock/" + room + "/" + user + "?ver=12"),
                FederationRequest.put(a.serverName, FederationPaths.V2 + "/send_join/" + room + "/$x", object()),
                FederationRequest.put(a.serverName, FederationPaths.V2 + "/send_leave/" + room + "/$x", object()),
                FederationRequest.put(a.serverName, FederationPaths.V1 + "/send_knock/" + room + "/$x", object()),
                FederationRequest.put(a.serverName, FederationPaths.V2 + "/invite/" + room + "/$x", object()),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/state/" + room + "?event_id=" + enc(message)),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/state_ids/" + room + "?event_id=" + enc(message)),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/event_auth/" + room + "/" + enc(message)),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/backfill/" + room + "?v=" + enc(message)),
                FederationRequest.post(a.serverName, FederationPaths.V1 + "/get_missing_events/" + room,
                        missingEventsBody(message)));
        for (FederationRequest request : protectedRequests) {
            FederationException refused = failure(b, request);
            assertEquals(403, refused.status(), request.uri());
            assertEquals("M_FORBIDDEN", refused.errcode(), request.uri());
        }
        // An allowed server is still answered.
        JsonNode stateIds = network.clientOf(c.serverName).request(FederationRequest.get(a.serverName,
                FederationPaths.V1 + "/state_ids/" + room + "?event_id=" + enc(message))).join();
        assertTrue(stateIds.path("pdu_ids").size() > 0, stateIds.toString());
    }

    @Test
    void pduFromADeniedServerIsIgnoredWithAnErrorForThatEvent() {
        denyB();
        String fromBob = b.sendText(roomId, bob, "after the ACL");
        String fromCarol = c.sendText(roomId, c.user("carol"), "allowed");

        JsonNode results = b.push(a, fromBob);
        JsonNode allowed = c.push(a, fromCarol);

        assertTrue(results.path(fromBob).path("error").asText().contains("server ACL"), results.toString());
        assertTrue(a.queries.event(fromBob).isEmpty(), "the denied server's event is not stored");
        FederationRoomsTest.assertAccepted(allowed, fromCarol);
    }

    @Test
    void typingAndReceiptsFromADeniedServerForTheRoomAreDropped() {
        denyB();
        String message = a.sendText(roomId, alice, "read me");

        sendEdus(b, typing(bob), receipt(bob, message));
        sendEdus(c, typing(c.user("carol")));

        assertEquals(1, a.typingEdus.size(), a.typingEdus.toString());
        assertTrue(a.typingEdus.get(0).startsWith(c.serverName + " "), a.typingEdus.toString());
    }

    @Test
    void removingTheDenyEntryLetsTheServerBackIn() {
        denyB();
        ObjectNode open = JsonNodeFactory.instance.objectNode();
        open.putArray("allow").add("*");
        a.sendState(roomId, alice, "m.room.server_acl", open);

        String fromBob = b.sendText(roomId, bob, "back again");
        FederationRoomsTest.assertAccepted(b.push(a, fromBob), fromBob);
    }

    private ObjectNode typing(String userId) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", "m.typing");
        edu.putObject("content").put("room_id", roomId).put("user_id", userId).put("typing", true);
        return edu;
    }

    private ObjectNode receipt(String userId, String eventId) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", "m.receipt");
        ObjectNode read = edu.putObject("content").putObject(roomId).putObject("m.read").putObject(userId);
        read.putArray("event_ids").add(eventId);
        read.putObject("data").put("ts", 1);
        return edu;
    }

    private void sendEdus(FederatedTestNode from, ObjectNode... edus) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", from.serverName);
        body.put("origin_server_ts", System.currentTimeMillis());
        body.putArray("pdus");
        ArrayNode array = body.putArray("edus");
        for (ObjectNode edu : edus) {
            array.add(edu);
        }
        network.clientOf(from.serverName).request(FederationRequest.put(a.serverName,
                FederationPaths.V1 + "/send/edus-" + from.serverName.substring(0, 8), body)).join();
    }

    private static ObjectNode missingEventsBody(String latest) {
        ObjectNode body = object();
        body.putArray("earliest_events");
        body.putArray("latest_events").add(latest);
        return body;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private FederationException failure(FederatedTestNode from, FederationRequest request) {
        CompletionException thrown = assertThrows(CompletionException.class,
                () -> network.clientOf(from.serverName).request(request).join(), request.uri());
        return assertInstanceOf(FederationException.class, thrown.getCause());
    }

    private static String enc(String value) {
        return FederationPaths.encode(value);
    }
}
