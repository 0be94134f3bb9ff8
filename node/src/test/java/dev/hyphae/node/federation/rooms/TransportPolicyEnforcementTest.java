package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.federation.CarrierPolicyFilter;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.federation.RoomTransportPolicies;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node obeys a room's transport policy on receipt: once a room is {@code tor-only}, its room
 * endpoints refuse requests that came over libp2p, and a transaction over libp2p loses only that
 * room's PDUs, each with an error; over Tor everything is served, and other rooms over any carrier.
 */
class TransportPolicyEnforcementTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String alice;
    private String bob;
    private String hiddenRoom;
    private String openRoom;

    @BeforeEach
    void twoServersShareATorOnlyRoomAndAnOpenOne() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        alice = a.user("alice");
        bob = b.user("bob");
        hiddenRoom = createPublicRoom();
        openRoom = createPublicRoom();
        b.memberships.join(hiddenRoom, bob, null, List.of(a.serverName));
        b.memberships.join(openRoom, bob, null, List.of(a.serverName));
        a.sendState(hiddenRoom, alice, TransportPolicy.EVENT_TYPE,
                JsonNodeFactory.instance.objectNode().put("policy", "tor-only"));
        RoomTransportPolicies policies = new RoomTransportPolicies(a.queries);
        a.routes.filter(new CarrierPolicyFilter(policies, room -> Optional.of(a.queries.roomVersion(room))));
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    private String createPublicRoom() {
        return a.creator.createRoom(new CreateRoomRequest(alice, null, null, "public", null, null, null, List.of(),
                false, null, List.of(), null));
    }

    private FederationRequest stateIds(String roomId, String eventId) {
        return FederationRequest.get(a.serverName, FederationPaths.V1 + "/state_ids/" + FederationPaths.encode(roomId)
                + "?event_id=" + FederationPaths.encode(eventId));
    }

    private JsonNode fromB(FederationRequest request) {
        return network.clientOf(b.serverName).request(request).join();
    }

    @Test
    void theTorOnlyRoomsEndpointsRefuseLibp2pAndServeTor() {
        String message = a.sendText(hiddenRoom, alice, "hidden");
        String other = a.sendText(openRoom, alice, "open");
        String room = FederationPaths.encode(hiddenRoom);
        network.setCarrier("libp2p");
        for (FederationRequest request : List.of(stateIds(hiddenRoom, message),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/make_join/" + room + "/"
                        + FederationPaths.encode(b.user("dave")) + "?ver=12"),
                FederationRequest.get(a.serverName, FederationPaths.V1 + "/backfill/" + room + "?v="
                        + FederationPaths.encode(message)))) {
            CompletionException thrown = assertThrows(CompletionException.class, () -> fromB(request), request.uri());
            FederationException refused = assertInstanceOf(FederationException.class, thrown.getCause());
            assertEquals(403, refused.status(), request.uri());
            assertEquals(TransportPolicy.REFUSED_ERRCODE, refused.errcode(), request.uri());
        }
        assertTrue(fromB(stateIds(openRoom, other)).path("pdu_ids").size() > 0);

        network.setCarrier("tor");
        assertTrue(fromB(stateIds(hiddenRoom, message)).path("pdu_ids").size() > 0);
    }

    @Test
    void aTransactionOverLibp2pDeliversTheOpenRoomsPduAndRefusesTheTorOnlyRoomsWithAnError() {
        String hidden = b.sendText(hiddenRoom, bob, "should travel over tor");
        String open = b.sendText(openRoom, bob, "any carrier");
        network.setCarrier("libp2p");

        JsonNode results = b.push(a, hidden, open);

        assertTrue(results.path(hidden).path("error").asText().contains("tor-only"), results.toString());
        assertTrue(a.queries.event(hidden).isEmpty(), "the refused event is not stored");
        FederationRoomsTest.assertAccepted(results, open);
    }

    @Test
    void theSameTransactionOverTorDeliversBoth() {
        String hidden = b.sendText(hiddenRoom, bob, "over tor");
        String open = b.sendText(openRoom, bob, "also over tor");
        network.setCarrier("tor");

        JsonNode results = b.push(a, hidden, open);

        FederationRoomsTest.assertAccepted(results, hidden);
        FederationRoomsTest.assertAccepted(results, open);
    }
}
