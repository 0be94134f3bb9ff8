package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.InitialStateEvent;
import dev.hyphae.node.roomserver.RoomServerException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joins to restricted rooms across servers: the resident server vouches for a user joined to an
 * allowed room through one of its members and signs the join; the joining server takes the join
 * only with a valid signature of the vouching server, checked with that server's real key.
 */
class RestrictedJoinsTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String alice;
    private String bob;
    private String space;
    private String restricted;

    @BeforeEach
    void roomRestrictedToMembersOfAPublicRoom() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        alice = a.user("alice");
        bob = b.user("bob");
        space = a.creator.createRoom(new CreateRoomRequest(alice, null, null, "public", null, null, null, List.of(),
                false, null, List.of(), null));
        restricted = a.creator.createRoom(restrictedTo(space));
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    private CreateRoomRequest restrictedTo(String allowedRoom) {
        ObjectNode joinRules = JsonNodeFactory.instance.objectNode().put("join_rule", "restricted");
        joinRules.putArray("allow").addObject().put("type", "m.room_membership").put("room_id", allowedRoom);
        return new CreateRoomRequest(alice, null, null, null, null, null, null, List.of(), false, null,
                List.of(new InitialStateEvent("m.room.join_rules", "", joinRules)), null);
    }

    @Test
    void memberOfAnAllowedRoomJoinsThroughTheResidentServerWhichSignsTheJoin() {
        b.memberships.join(space, bob, null, List.of(a.serverName));

        String joinId = b.memberships.join(restricted, bob, null, List.of(a.serverName)).eventId();

        Pdu join = b.event(joinId);
        assertEquals(alice, join.contentField("join_authorised_via_users_server").asText());
        assertTrue(join.json().path("signatures").has(a.serverName), "the resident server signed the join");
        assertTrue(join.json().path("signatures").has(b.serverName), "the joining server signed the join");
        assertEquals(Optional.of("join"), a.queries.membership(restricted, bob));
        assertEquals(Optional.of("join"), b.queries.membership(restricted, bob));
        assertEquals(a.state(restricted), b.state(restricted));
    }

    @Test
    void userInNoAllowedRoomIsForbiddenByTheResidentServer() {
        RoomServerException refused = assertThrows(RoomServerException.class,
                () -> b.memberships.join(restricted, bob, null, List.of(a.serverName)));

        assertEquals(RoomServerException.Kind.FORBIDDEN, refused.kind());
        assertEquals(Optional.empty(), a.queries.membership(restricted, bob));
        FederationException makeJoin = failure(makeJoin(restricted));
        assertEquals(403, makeJoin.status());
        assertEquals("M_FORBIDDEN", makeJoin.errcode());
    }

    @Test
    void residentServerThatKnowsNoAllowedRoomAnswersUnableToAuthoriseJoin() {
        String elsewhere = a.creator.createRoom(restrictedTo("!unknown:" + b.serverName));

        FederationException refused = failure(makeJoin(elsewhere));

        assertEquals(400, refused.status());
        assertEquals("M_UNABLE_TO_AUTHORISE_JOIN", refused.errcode());
    }

    @Test
    void joinClaimingTheResidentsAuthorisationWithAForgedSignatureIsRejected() {
        b.memberships.join(space, bob, null, List.of(a.serverName));
        JsonNode template = network.clientOf(b.serverName).request(makeJoin(restricted)).join().path("event");
        ObjectNode event = ((ObjectNode) template).deepCopy();
        event.put("origin_server_ts", System.currentTimeMillis());
        Pdu signed = b.signer.finish(event, RoomVersions.get("12"));
        ObjectNode forged = signed.json().deepCopy();
        // A signature entry for the vouching server that its real key does not verify.
        forged.with("signatures").putObject(a.serverName).put(a.identity.keyId(),
                Base64.getEncoder().withoutPadding().encodeToString(new byte[64]));

        JsonNode results = b.pushAs(b.serverName, a, "forged-join", List.of(forged));

        String error = results.path(signed.eventId()).path("error").asText();
        assertTrue(error.contains("signature") && error.contains(a.serverName), results.toString());
        assertEquals(Optional.empty(), a.queries.membership(restricted, bob));
    }

    private FederationRequest makeJoin(String roomId) {
        return FederationRequest.get(a.serverName, FederationPaths.V1 + "/make_join/" + FederationPaths.encode(roomId)
                + "/" + FederationPaths.encode(bob) + "?ver=12");
    }

    private FederationException failure(FederationRequest request) {
        CompletionException thrown = assertThrows(CompletionException.class,
                () -> network.clientOf(b.serverName).request(request).join());
        return assertInstanceOf(FederationException.class, thrown.getCause());
    }
}
