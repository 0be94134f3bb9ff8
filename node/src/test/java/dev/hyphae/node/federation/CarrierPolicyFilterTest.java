package dev.hyphae.node.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.ReferenceHash;
import dev.hyphae.node.http.IncomingRequest;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.RateLimit;
import dev.hyphae.node.http.RateLimiter;
import dev.hyphae.node.http.RequestDispatcher;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The receiving side of transport policies: a tor-only room's traffic is refused unless it came over Tor. */
class CarrierPolicyFilterTest {
    private static final String TOR_ONLY_ROOM = "!hidden:a.onion";
    private static final String OPEN_ROOM = "!open:a.onion";
    private static final String ORIGIN = "b.onion";
    private static final RoomVersion VERSION = RoomVersions.get("10");

    private final CarrierPolicyFilter filter = new CarrierPolicyFilter(
            room -> room.equals(TOR_ONLY_ROOM) ? TransportPolicy.TOR_ONLY : TransportPolicy.DEFAULT,
            room -> Optional.of(VERSION));
    /** The bodies the endpoint behind the filter was handed. */
    private final List<JsonNode> handed = new ArrayList<>();
    private final FederationHandler endpoint = (origin, request) -> {
        JsonNode body = request.uri().contains("/send/") ? request.json() : JsonNodeFactory.instance.objectNode();
        handed.add(body);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ObjectNode pdus = answer.putObject("pdus");
        for (JsonNode pdu : body.path("pdus")) {
            pdus.putObject(ReferenceHash.eventId((ObjectNode) pdu, VERSION));
        }
        return MatrixResponse.ok(answer);
    };

    private static MatrixRequest request(Method method, String uri, JsonNode body, String carrier) {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        return new MatrixRequest(method, path, uri, Map.of(), Map.of(), Map.of(),
                body == null ? new byte[0] : CanonicalJson.encode(body), "remote", null, carrier);
    }

    private static ObjectNode pdu(String roomId, String body) {
        ObjectNode pdu = JsonNodeFactory.instance.objectNode();
        pdu.put("room_id", roomId);
        pdu.put("type", "m.room.message");
        pdu.put("sender", "@b:" + ORIGIN);
        pdu.put("origin_server_ts", 1);
        pdu.put("depth", 2);
        pdu.putArray("auth_events");
        pdu.putArray("prev_events");
        pdu.putObject("content").put("body", body);
        pdu.putObject("hashes").put("sha256", "x");
        return pdu;
    }

    private static ObjectNode transaction(List<ObjectNode> pdus, List<ObjectNode> edus) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", ORIGIN);
        body.put("origin_server_ts", 1);
        body.putArray("pdus").addAll(pdus);
        body.putArray("edus").addAll(edus);
        return body;
    }

    @Test
    void aRoomEndpointOfATorOnlyRoomIsForbiddenOverLibp2p() {
        for (String uri : List.of("/_matrix/federation/v1/make_join/%21hidden%3Aa.onion/%40b%3Ab.onion",
                "/_matrix/federation/v2/send_join/!hidden:a.onion/$event", "/_matrix/federation/v1/backfill/!hidden:a.onion?v=$e&limit=5",
                "/_matrix/federation/v1/state/!hidden:a.onion?event_id=$e",
                "/_matrix/federation/v1/get_missing_events/!hidden:a.onion")) {
            MatrixException refused = assertThrows(MatrixException.class,
                    () -> filter.handle(ORIGIN, request(Method.GET, uri, null, "libp2p"), endpoint), uri);
            assertEquals(403, refused.status());
            assertEquals(TransportPolicy.REFUSED_ERRCODE, refused.errcode());
            assertTrue(refused.getMessage().contains("tor-only") && refused.getMessage().contains("libp2p"),
                    refused.getMessage());
        }
        assertTrue(handed.isEmpty());
    }

    @Test
    void aRoomEndpointOfATorOnlyRoomIsServedOverTorAndOtherRoomsOverAnyCarrier() throws Exception {
        filter.handle(ORIGIN, request(Method.GET, "/_matrix/federation/v1/state/!hidden:a.onion", null, "tor"), endpoint);
        filter.handle(ORIGIN, request(Method.GET, "/_matrix/federation/v1/state/!open:a.onion", null, "libp2p"), endpoint);
        filter.handle(ORIGIN, request(Method.GET, "/_matrix/federation/v1/user/devices/@b:b.onion", null, "libp2p"), endpoint);
        assertEquals(3, handed.size());
    }

    @Test
    void aRequestOfUnknownCarrierIsNotTakenForTor() {
        assertThrows(MatrixException.class, () -> filter.handle(ORIGIN,
                request(Method.GET, "/_matrix/federation/v1/state/!hidden:a.onion", null, IncomingRequest.UNKNOWN_CARRIER),
                endpoint));
    }

    @Test
    void aTransactionOverLibp2pLosesOnlyTheTorOnlyRoomsPdusWhichEachGetAnError() throws Exception {
        ObjectNode hidden = pdu(TOR_ONLY_ROOM, "secret");
        ObjectNode open = pdu(OPEN_ROOM, "hello");
        ObjectNode body = transaction(List.of(hidden, open), List.of());

        MatrixResponse answer = filter.handle(ORIGIN, request(Method.PUT, "/_matrix/federation/v1/send/t1", body, "libp2p"),
                endpoint);

        assertEquals(1, handed.size());
        assertEquals(1, handed.get(0).path("pdus").size());
        assertEquals(OPEN_ROOM, handed.get(0).path("pdus").get(0).path("room_id").asText());
        JsonNode results = CanonicalJson.parseObjectLenient(answer.body()).path("pdus");
        String hiddenId = ReferenceHash.eventId(hidden, VERSION);
        String openId = ReferenceHash.eventId(open, VERSION);
        assertTrue(results.path(hiddenId).path("error").asText().contains("tor-only"), results.toString());
        assertTrue(results.has(openId));
        assertFalse(results.path(openId).has("error"));
    }

    @Test
    void aTransactionOverTorIsHandedOnWhole() throws Exception {
        ObjectNode body = transaction(List.of(pdu(TOR_ONLY_ROOM, "secret"), pdu(OPEN_ROOM, "hello")), List.of());
        filter.handle(ORIGIN, request(Method.PUT, "/_matrix/federation/v1/send/t1", body, "tor"), endpoint);
        assertEquals(body, handed.get(0));
    }

    @Test
    void typingAndReceiptsOfATorOnlyRoomAreDroppedFromATransactionOverLibp2p() throws Exception {
        ObjectNode typing = JsonNodeFactory.instance.objectNode().put("edu_type", "m.typing");
        typing.putObject("content").put("room_id", TOR_ONLY_ROOM).put("user_id", "@b:b.onion").put("typing", true);
        ObjectNode receipt = JsonNodeFactory.instance.objectNode().put("edu_type", "m.receipt");
        receipt.putObject("content").putObject(TOR_ONLY_ROOM).putObject("m.read");
        ((ObjectNode) receipt.get("content")).putObject(OPEN_ROOM).putObject("m.read");
        ObjectNode toDevice = JsonNodeFactory.instance.objectNode().put("edu_type", "m.direct_to_device");
        toDevice.putObject("content").put("message_id", "m1");

        filter.handle(ORIGIN, request(Method.PUT, "/_matrix/federation/v1/send/t2",
                transaction(List.of(), List.of(typing, receipt, toDevice)), "libp2p"), endpoint);

        ArrayNode edus = (ArrayNode) handed.get(0).path("edus");
        assertEquals(2, edus.size());
        assertEquals("m.receipt", edus.get(0).path("edu_type").asText());
        assertNull(edus.get(0).path("content").get(TOR_ONLY_ROOM));
        assertTrue(edus.get(0).path("content").has(OPEN_ROOM));
        assertEquals("m.direct_to_device", edus.get(1).path("edu_type").asText());
    }

    @Test
    void theCarrierAnIncomingRequestArrivedOverReachesTheFilterBehindTheSignatureCheck() {
        FederationRoutes routes = new FederationRoutes(new RouteTable(), request -> ORIGIN).filter(filter);
        routes.add(Method.GET, "/_matrix/federation/v1/state/{roomId}", endpoint);
        RequestDispatcher dispatcher = new RequestDispatcher(routes.table(), token -> {
            throw new IllegalStateException("no tokens");
        }, new RateLimiter(RateLimit.unlimited()), new RateLimiter(RateLimit.unlimited()), Runnable::run);

        MatrixResponse overLibp2p = dispatcher.dispatch(new IncomingRequest("GET",
                "/_matrix/federation/v1/state/!hidden:a.onion", Map.of(), new byte[0], "peer", "libp2p")).join();
        MatrixResponse overTor = dispatcher.dispatch(new IncomingRequest("GET",
                "/_matrix/federation/v1/state/!hidden:a.onion", Map.of(), new byte[0], "tor", "tor")).join();

        assertEquals(403, overLibp2p.status());
        assertEquals(TransportPolicy.REFUSED_ERRCODE, CanonicalJson.parseObjectLenient(overLibp2p.body()).path("errcode").asText());
        assertEquals(200, overTor.status());
        assertEquals(1, handed.size());
    }

    private static ObjectNode policyEvent(String roomId, String policy) {
        ObjectNode pdu = pdu(roomId, "unused");
        pdu.put("type", TransportPolicy.EVENT_TYPE);
        pdu.put("state_key", "");
        pdu.putObject("content").put("policy", policy);
        return pdu;
    }

    private List<String> refusedPdus(ObjectNode pdu, String carrier) throws Exception {
        MatrixResponse answer = filter.handle(ORIGIN, request(Method.PUT, "/_matrix/federation/v1/send/t3",
                transaction(List.of(pdu), List.of()), carrier), endpoint);
        JsonNode results = CanonicalJson.parseObjectLenient(answer.body()).path("pdus");
        List<String> refused = new ArrayList<>();
        results.fields().forEachRemaining(entry -> {
            if (entry.getValue().has("error")) {
                refused.add(entry.getValue().path("error").asText());
            }
        });
        return refused;
    }

    @Test
    void theEventThatMakesARoomTorOnlyIsRefusedOverLibp2pAndAcceptedOverTor() throws Exception {
        ObjectNode switching = policyEvent(OPEN_ROOM, "tor-only");

        List<String> overLibp2p = refusedPdus(switching, "libp2p");
        List<String> overTor = refusedPdus(switching, "tor");

        assertEquals(1, overLibp2p.size());
        assertTrue(overLibp2p.get(0).contains("becomes tor-only"), overLibp2p.get(0));
        assertEquals(List.of(), overTor);
        assertEquals(0, handed.get(0).path("pdus").size(), "over libp2p the endpoint is handed no PDU");
        assertEquals(1, handed.get(1).path("pdus").size());
    }

    @Test
    void theEventThatEndsTorOnlyIsRefusedOverLibp2pToo() throws Exception {
        List<String> refused = refusedPdus(policyEvent(TOR_ONLY_ROOM, "p2p"), "libp2p");
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).contains("is tor-only"), refused.get(0));
    }

    @Test
    void aPolicyEventWithAnUnknownPolicyIsTakenForTorOnly() throws Exception {
        assertEquals(1, refusedPdus(policyEvent(OPEN_ROOM, "carrier-pigeon"), "libp2p").size());
        assertEquals(List.of(), refusedPdus(policyEvent(OPEN_ROOM, "p2p"), "libp2p"));
    }

    /** An endpoint answering as GET /event or GET /query/directory do, for a room. */
    private static FederationHandler answering(ObjectNode answer) {
        return (origin, request) -> MatrixResponse.ok(answer);
    }

    @Test
    void anEventOfATorOnlyRoomAskedByItsIdOverLibp2pIsRefused() throws Exception {
        ObjectNode hidden = JsonNodeFactory.instance.objectNode().put("origin", "a.onion");
        hidden.putArray("pdus").add(pdu(TOR_ONLY_ROOM, "secret"));
        ObjectNode open = JsonNodeFactory.instance.objectNode().put("origin", "a.onion");
        open.putArray("pdus").add(pdu(OPEN_ROOM, "hello"));
        String uri = "/_matrix/federation/v1/event/$anyEvent";

        MatrixException refused = assertThrows(MatrixException.class,
                () -> filter.handle(ORIGIN, request(Method.GET, uri, null, "libp2p"), answering(hidden)));
        assertEquals(403, refused.status());
        assertTrue(refused.getMessage().contains("tor-only"), refused.getMessage());
        assertEquals(200, filter.handle(ORIGIN, request(Method.GET, uri, null, "tor"), answering(hidden)).status());
        assertEquals(200, filter.handle(ORIGIN, request(Method.GET, uri, null, "libp2p"), answering(open)).status());
    }

    @Test
    void anAliasOfATorOnlyRoomLookedUpOverLibp2pIsRefused() throws Exception {
        ObjectNode hidden = JsonNodeFactory.instance.objectNode().put("room_id", TOR_ONLY_ROOM);
        hidden.putArray("servers").add("a.onion");
        String uri = "/_matrix/federation/v1/query/directory?room_alias=%23hidden%3Aa.onion";

        MatrixException refused = assertThrows(MatrixException.class,
                () -> filter.handle(ORIGIN, request(Method.GET, uri, null, "libp2p"), answering(hidden)));
        assertEquals(TransportPolicy.REFUSED_ERRCODE, refused.errcode());
        assertEquals(200, filter.handle(ORIGIN, request(Method.GET, uri, null, "tor"), answering(hidden)).status());
    }

    @Test
    void thePublicRoomDirectoryOverLibp2pLeavesTorOnlyRoomsOut() throws Exception {
        ObjectNode directory = JsonNodeFactory.instance.objectNode();
        directory.putArray("chunk").add(JsonNodeFactory.instance.objectNode().put("room_id", TOR_ONLY_ROOM))
                .add(JsonNodeFactory.instance.objectNode().put("room_id", OPEN_ROOM));
        String uri = "/_matrix/federation/v1/publicRooms";

        JsonNode overLibp2p = CanonicalJson.parseObjectLenient(filter.handle(ORIGIN,
                request(Method.GET, uri, null, "libp2p"), answering(directory.deepCopy())).body());
        JsonNode overTor = CanonicalJson.parseObjectLenient(filter.handle(ORIGIN,
                request(Method.GET, uri, null, "tor"), answering(directory.deepCopy())).body());

        assertEquals(1, overLibp2p.path("chunk").size());
        assertEquals(OPEN_ROOM, overLibp2p.path("chunk").get(0).path("room_id").asText());
        assertEquals(2, overTor.path("chunk").size());
    }
}
