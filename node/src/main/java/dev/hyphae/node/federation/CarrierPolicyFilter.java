package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.ReferenceHash;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of the rooms' transport policies: traffic of a room that arrived over a
 * carrier its policy does not allow (a {@code tor-only} room's over libp2p) is refused. A request
 * naming such a room in its path (make_join, send_join, backfill, state, get_missing_events, ...)
 * is answered 403 {@value TransportPolicy#REFUSED_ERRCODE}, and so is one naming it only by an event (GET /event) or an
 * alias (GET /query/directory), once the answer shows the room. A transaction keeps its other
 * rooms' PDUs and EDUs, and each refused PDU gets its error in the answer's {@code pdus} map, as
 * the spec has per-PDU errors; a policy event must also arrive over a carrier the policy it sets
 * allows. The public room directory leaves such rooms out. Rooms with the default policy, and
 * requests naming no room (keys, devices, profiles, media, to-device), pass unchecked.
 */
public final class CarrierPolicyFilter implements FederationFilter {
    private static final Logger LOG = LoggerFactory.getLogger(CarrierPolicyFilter.class);
    private static final String SEND_PREFIX = "/_matrix/federation/v1/send/";
    private static final String EVENT_PREFIX = "/_matrix/federation/v1/event/";
    private static final String QUERY_DIRECTORY = "/_matrix/federation/v1/query/directory";
    private static final String PUBLIC_ROOMS = "/_matrix/federation/v1/publicRooms";

    private final Function<String, TransportPolicy> policyOfRoom;
    private final Function<String, Optional<RoomVersion>> versionOfRoom;

    /**
     * @param policyOfRoom  the current policy of a room, {@link TransportPolicy#DEFAULT} when unknown
     * @param versionOfRoom the version of a room this node knows, to name a refused PDU by its event ID
     */
    public CarrierPolicyFilter(Function<String, TransportPolicy> policyOfRoom,
            Function<String, Optional<RoomVersion>> versionOfRoom) {
        this.policyOfRoom = Objects.requireNonNull(policyOfRoom, "policyOfRoom");
        this.versionOfRoom = Objects.requireNonNull(versionOfRoom, "versionOfRoom");
    }

    @Override
    public MatrixResponse handle(String origin, MatrixRequest request, FederationHandler next) throws Exception {
        String carrier = request.carrier();
        for (String roomId : RoomsOfRequest.pathRoomIds(request.uri())) {
            Optional<String> refusal = refusal(roomId, carrier);
            if (refusal.isPresent()) {
                LOG.info("refusing {} {} from {}: {}", request.method(), request.path(), origin, refusal.get());
                throw refused(refusal.get());
            }
        }
        String path = request.path();
        if (request.method() == Method.PUT && path.startsWith(SEND_PREFIX)) {
            return transaction(origin, request, carrier, next);
        }
        if (path.startsWith(EVENT_PREFIX) || path.equals(QUERY_DIRECTORY)) {
            return answerOfAllowedRoom(origin, request, carrier, next);
        }
        if (path.equals(PUBLIC_ROOMS)) {
            return publicRoomsAllowed(request, carrier, next.handle(origin, request));
        }
        return next.handle(origin, request);
    }

    /**
     * GET /event/{eventId} names its room only by the event, GET /query/directory only by an
     * alias: the room is known from the answer, which is withheld when the room's policy refuses
     * the carrier. An error answer passes as it is (it carries no room's traffic).
     */
    private MatrixResponse answerOfAllowedRoom(String origin, MatrixRequest request, String carrier,
            FederationHandler next) throws Exception {
        MatrixResponse answer = next.handle(origin, request);
        if (answer.status() != 200) {
            return answer;
        }
        ObjectNode body = CanonicalJson.parseObjectLenient(answer.body());
        List<String> rooms = new ArrayList<>();
        JsonNode roomId = body.get("room_id");
        if (roomId != null && roomId.isTextual()) {
            rooms.add(roomId.textValue()); // query/directory
        }
        for (JsonNode pdu : body.path("pdus")) {
            JsonNode pduRoom = pdu.get("room_id");
            if (pduRoom != null && pduRoom.isTextual()) {
                rooms.add(pduRoom.textValue()); // event
            }
        }
        for (String room : rooms) {
            Optional<String> refusal = refusal(room, carrier);
            if (refusal.isPresent()) {
                LOG.info("refusing {} {} from {}: {}", request.method(), request.path(), origin, refusal.get());
                throw refused(refusal.get());
            }
        }
        return answer;
    }

    /** The public room directory over a carrier lists only rooms whose policy allows that carrier. */
    private MatrixResponse publicRoomsAllowed(MatrixRequest request, String carrier, MatrixResponse answer) {
        if (answer.status() != 200) {
            return answer;
        }
        ObjectNode body = CanonicalJson.parseObjectLenient(answer.body());
        if (!(body.get("chunk") instanceof ArrayNode chunk)) {
            return answer;
        }
        ArrayNode allowed = JsonNodeFactory.instance.arrayNode();
        for (JsonNode room : chunk) {
            String roomId = room.path("room_id").asText("");
            if (roomId.isEmpty() || refusal(roomId, carrier).isEmpty()) {
                allowed.add(room);
            }
        }
        if (allowed.size() == chunk.size()) {
            return answer;
        }
        LOG.debug("left {} rooms out of {} {}: their policies refuse {}", chunk.size() - allowed.size(),
                request.method(), request.path(), carrier);
        body.set("chunk", allowed);
        return MatrixResponse.ok(body);
    }

    /** The 403 answer of a refused request, which the sender's carriers know to try the next carrier on. */
    private static MatrixException refused(String reason) {
        return new MatrixException(403, TransportPolicy.REFUSED_ERRCODE, reason);
    }

    /** Why {@code roomId}'s traffic may not arrive over {@code carrier}, if it may not. */
    private Optional<String> refusal(String roomId, String carrier) {
        return refusal(roomId, policyOfRoom.apply(roomId), "is", carrier);
    }

    private static Optional<String> refusal(String roomId, TransportPolicy policy, String verb, String carrier) {
        if (policy == TransportPolicy.DEFAULT || policy.allows(carrier)) {
            return Optional.empty();
        }
        return Optional.of("room " + roomId + " " + verb + " " + policy.value() + ": its traffic is accepted over "
                + String.join(" or ", policy.carriers()) + " only, and this request came over " + carrier);
    }

    /**
     * Why a PDU of {@code roomId} may not arrive over {@code carrier}: the room's policy before it
     * and, for a policy event, the policy in force after it must both allow the carrier.
     */
    private Optional<String> pduRefusal(JsonNode pdu, String roomId, String carrier) {
        Optional<String> before = refusal(roomId, carrier);
        if (before.isPresent() || !RoomsOfRequest.isPolicyEvent(pdu)) {
            return before;
        }
        return refusal(roomId, TransportPolicy.ofContent(pdu.get("content")), "becomes", carrier);
    }

    private MatrixResponse transaction(String origin, MatrixRequest request, String carrier, FederationHandler next)
            throws Exception {
        JsonNode body;
        try {
            body = request.json();
        } catch (MatrixException e) {
            return next.handle(origin, request); // the endpoint gives the error
        }
        if (!body.isObject() || !body.path("pdus").isArray()) {
            return next.handle(origin, request);
        }
        ObjectNode errors = JsonNodeFactory.instance.objectNode();
        ArrayNode keptPdus = JsonNodeFactory.instance.arrayNode();
        boolean narrowed = false;
        for (JsonNode pdu : body.path("pdus")) {
            String roomId = pdu.path("room_id").asText("");
            Optional<String> refusal = roomId.isEmpty() ? Optional.empty() : pduRefusal(pdu, roomId, carrier);
            if (refusal.isEmpty()) {
                keptPdus.add(pdu);
                continue;
            }
            narrowed = true;
            LOG.info("refusing a PDU of {} from {}: {}", roomId, origin, refusal.get());
            eventId(pdu, roomId).ifPresent(eventId -> errors.putObject(eventId).put("error", refusal.get()));
        }
        JsonNode edus = body.path("edus");
        ArrayNode keptEdus = JsonNodeFactory.instance.arrayNode();
        if (edus.isArray()) {
            for (JsonNode edu : edus) {
                JsonNode kept = allowedEdu(edu, carrier);
                if (kept == null) {
                    narrowed = true;
                } else {
                    narrowed |= kept != edu;
                    keptEdus.add(kept);
                }
            }
        }
        if (!narrowed) {
            return next.handle(origin, request);
        }
        ObjectNode narrower = ((ObjectNode) body).deepCopy();
        narrower.set("pdus", keptPdus);
        if (edus.isArray()) {
            narrower.set("edus", keptEdus);
        }
        // The signature was checked on the request as sent; the endpoint sees only what is allowed.
        MatrixResponse answer = next.handle(origin, request.withBody(CanonicalJson.encode(narrower)));
        if (answer.status() != 200 || errors.isEmpty()) {
            return answer;
        }
        ObjectNode merged = CanonicalJson.parseObjectLenient(answer.body());
        JsonNode pdus = merged.get("pdus");
        ObjectNode results = pdus instanceof ObjectNode object ? object : merged.putObject("pdus");
        errors.fields().forEachRemaining(entry -> results.set(entry.getKey(), entry.getValue()));
        return MatrixResponse.ok(merged);
    }

    /**
     * The EDU without what belongs to refused rooms: a typing notification of such a room is
     * dropped ({@code null}), and so are receipts in such rooms. The same node when nothing changes.
     */
    private JsonNode allowedEdu(JsonNode edu, String carrier) {
        String type = edu.path("edu_type").asText("");
        JsonNode content = edu.path("content");
        if (type.equals("m.typing")) {
            String roomId = content.path("room_id").asText("");
            return !roomId.isEmpty() && refusal(roomId, carrier).isPresent() ? null : edu;
        }
        if (type.equals("m.receipt") && content.isObject()) {
            ObjectNode allowed = ((ObjectNode) content).deepCopy();
            boolean removed = false;
            for (Iterator<Map.Entry<String, JsonNode>> rooms = allowed.fields(); rooms.hasNext(); ) {
                if (refusal(rooms.next().getKey(), carrier).isPresent()) {
                    rooms.remove();
                    removed = true;
                }
            }
            if (!removed) {
                return edu;
            }
            if (allowed.isEmpty()) {
                return null;
            }
            ObjectNode copy = ((ObjectNode) edu).deepCopy();
            copy.set("content", allowed);
            return copy;
        }
        return edu;
    }

    /** The refused PDU's event ID, when its room's version is known and the PDU is well formed. */
    private Optional<String> eventId(JsonNode pdu, String roomId) {
        if (!pdu.isObject()) {
            return Optional.empty();
        }
        try {
            return versionOfRoom.apply(roomId).map(version -> ReferenceHash.eventId((ObjectNode) pdu, version));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
