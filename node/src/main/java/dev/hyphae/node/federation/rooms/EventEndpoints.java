package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.hyphae.node.acl.RoomServerAcls;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.store.StoredEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The server-server endpoints that hand out room events ("Retrieving events", "Backfilling and
 * retrieving missing events"): {@code /event}, {@code /state}, {@code /state_ids},
 * {@code /event_auth}, {@code /backfill} and {@code /get_missing_events}. Only servers with a user
 * in the room are answered, and only with events the room's history visibility lets them see.
 */
public final class EventEndpoints implements FederationEndpointGroup {
    /** The most events one backfill answer holds. */
    static final int MAX_BACKFILL = 100;
    /** The most events one get_missing_events answer holds. */
    static final int MAX_MISSING = 100;

    private final RoomEvents events;
    private final RoomVisibility visibility;
    private final String serverName;
    private final Clock clock;
    private final RoomServerAcls acls;

    EventEndpoints(RoomEvents events, RoomVisibility visibility, String serverName, Clock clock, RoomServerAcls acls) {
        this.events = Objects.requireNonNull(events, "events");
        this.visibility = Objects.requireNonNull(visibility, "visibility");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.acls = Objects.requireNonNull(acls, "acls");
    }

    @Override
    public void register(FederationRoutes routes) {
        String v1 = FederationPaths.V1;
        routes.add(Method.GET, v1 + "/event/{eventId}", this::event)
                .add(Method.GET, v1 + "/state/{roomId}", this::state)
                .add(Method.GET, v1 + "/state_ids/{roomId}", this::stateIds)
                .add(Method.GET, v1 + "/event_auth/{roomId}/{eventId}", this::eventAuth)
                .add(Method.GET, v1 + "/backfill/{roomId}", this::backfill)
                .add(Method.POST, v1 + "/get_missing_events/{roomId}", this::missingEvents);
    }

    /** GET /_matrix/federation/v1/event/{eventId} */
    MatrixResponse event(String origin, MatrixRequest request) {
        Pdu pdu = visibleEvent(origin, request.pathParameter("eventId"));
        ArrayNode pdus = JsonNodeFactory.instance.arrayNode();
        pdus.add(pdu.json());
        return MatrixResponse.ok(transaction(pdus));
    }

    /** GET /_matrix/federation/v1/state/{roomId}?event_id= : the state before the event, with its auth chain. */
    MatrixResponse state(String origin, MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        RoomVersion version = roomOf(origin, roomId);
        Map<StateKey, String> state = stateAt(origin, roomId, request);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("pdus", storedJsonArray(events.storedAll(state.values()).values()));
        Set<String> chain = events.authChain(state.values(), roomId, version);
        answer.set("auth_chain", storedJsonArray(events.storedAll(chain).values()));
        return MatrixResponse.ok(answer);
    }

    /** GET /_matrix/federation/v1/state_ids/{roomId}?event_id= */
    MatrixResponse stateIds(String origin, MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        RoomVersion version = roomOf(origin, roomId);
        Map<StateKey, String> state = stateAt(origin, roomId, request);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode pduIds = answer.putArray("pdu_ids");
        state.values().stream().sorted().forEach(pduIds::add);
        ArrayNode chainIds = answer.putArray("auth_chain_ids");
        events.authChain(state.values(), roomId, version).stream().sorted().forEach(chainIds::add);
        return MatrixResponse.ok(answer);
    }

    /** GET /_matrix/federation/v1/event_auth/{roomId}/{eventId} */
    MatrixResponse eventAuth(String origin, MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        RoomVersion version = roomOf(origin, roomId);
        Pdu pdu = visibleEvent(origin, request.pathParameter("eventId"));
        if (!roomId.equals(pdu.roomId())) {
            throw MatrixException.notFound("event " + pdu.eventId() + " is not in room " + roomId);
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        Set<String> chain = events.authChain(List.of(pdu.eventId()), roomId, version);
        answer.set("auth_chain", jsonArray(events.pdus(chain, version).values()));
        return MatrixResponse.ok(answer);
    }

    /** GET /_matrix/federation/v1/backfill/{roomId}?v=...&limit= : the events before and at {@code v}, newest first. */
    MatrixResponse backfill(String origin, MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        RoomVersion version = roomOf(origin, roomId);
        List<String> from = request.queryParameters("v");
        if (from.isEmpty()) {
            throw MatrixException.missingParam("v is required");
        }
        int limit = Math.min(positive(request.queryParameter("limit").orElse("10"), "limit"), MAX_BACKFILL);
        List<Pdu> found = walkBack(roomId, version, from, Set.of(), 0, limit, true);
        found.sort(Comparator.comparingLong(Pdu::depth).reversed());
        List<Pdu> visible = found.stream().filter(pdu -> visibility.maySee(origin, pdu)).toList();
        return MatrixResponse.ok(transaction(jsonArray(visible)));
    }

    /** POST /_matrix/federation/v1/get_missing_events/{roomId} */
    MatrixResponse missingEvents(String origin, MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        RoomVersion version = roomOf(origin, roomId);
        JsonBody body = request.jsonObject();
        List<String> earliest = body.has("earliest_events") ? body.strings("earliest_events") : List.of();
        List<String> latest = body.strings("latest_events");
        JsonNode limitNode = body.raw().path("limit");
        int limit = Math.min(limitNode.isIntegralNumber() && limitNode.asInt() > 0 ? limitNode.asInt() : 10, MAX_MISSING);
        long minDepth = body.raw().path("min_depth").asLong(0);
        // The latest events themselves are known to the asking server; the walk starts at their prev events.
        List<String> starts = new ArrayList<>();
        events.pdus(latest, version).values().forEach(pdu -> starts.addAll(pdu.prevEventIds()));
        List<Pdu> found = walkBack(roomId, version, starts, new HashSet<>(earliest), minDepth, limit, false);
        found.sort(Comparator.comparingLong(Pdu::depth));
        List<Pdu> visible = found.stream().filter(pdu -> visibility.maySee(origin, pdu)).toList();
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("events", jsonArray(visible));
        return MatrixResponse.ok(answer);
    }

    /**
     * Walks back along prev_events from {@code starts} (included), breadth first, skipping
     * {@code stop} and events below {@code minDepth}, up to {@code limit} stored, not rejected events
     * of the room.
     */
    private List<Pdu> walkBack(String roomId, RoomVersion version, Collection<String> starts, Set<String> stop,
            long minDepth, int limit, boolean includeOutliers) {
        List<Pdu> found = new ArrayList<>();
        Set<String> seen = new HashSet<>(stop);
        Deque<String> queue = new ArrayDeque<>();
        for (String start : starts) {
            if (seen.add(start)) {
                queue.add(start);
            }
        }
        while (!queue.isEmpty() && found.size() < limit) {
            String id = queue.poll();
            StoredEvent stored = events.stored(id).orElse(null);
            if (stored == null || !stored.roomId().equals(roomId) || stored.isRejected()
                    || (stored.outlier() && !includeOutliers) || stored.depth() < minDepth) {
                continue;
            }
            Pdu pdu = RoomEvents.toPdu(stored, version);
            found.add(pdu);
            for (String prev : pdu.prevEventIds()) {
                if (seen.add(prev)) {
                    queue.add(prev);
                }
            }
        }
        return found;
    }

    /** The room's version, once the origin is known to be in the room and allowed by its server ACL. */
    private RoomVersion roomOf(String origin, String roomId) {
        acls.requireAllowed(origin, roomId);
        RoomVersion version = events.version(roomId)
                .orElseThrow(() -> MatrixException.notFound("unknown room " + roomId));
        if (!visibility.serverInRoom(origin, roomId)) {
            throw MatrixException.forbidden(origin + " is not in room " + roomId);
        }
        return version;
    }

    private Map<StateKey, String> stateAt(String origin, String roomId, MatrixRequest request) {
        String eventId = request.queryParameter("event_id")
                .orElseThrow(() -> MatrixException.missingParam("event_id is required"));
        Pdu pdu = visibleEvent(origin, eventId);
        if (!roomId.equals(pdu.roomId())) {
            throw MatrixException.notFound("event " + eventId + " is not in room " + roomId);
        }
        return events.stateBefore(eventId)
                .orElseThrow(() -> MatrixException.notFound("the state at " + eventId + " is not known here"));
    }

    private Pdu visibleEvent(String origin, String eventId) {
        StoredEvent stored = events.stored(eventId).filter(event -> !event.isRejected())
                .orElseThrow(() -> MatrixException.notFound("unknown event " + eventId));
        RoomVersion version = events.version(stored.roomId())
                .orElseThrow(() -> MatrixException.notFound("unknown event " + eventId));
        Pdu pdu = RoomEvents.toPdu(stored, version);
        if (!visibility.maySee(origin, pdu)) {
            throw MatrixException.forbidden(origin + " may not see " + eventId);
        }
        return pdu;
    }

    private ObjectNode transaction(ArrayNode pdus) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("origin", serverName);
        answer.put("origin_server_ts", clock.millis());
        answer.set("pdus", pdus);
        return answer;
    }

    /**
     * Stored events as they are stored (the PDU's JSON), written into the answer without parsing
     * them; only for JSON answers, which are written with Jackson.
     */
    static ArrayNode storedJsonArray(Collection<StoredEvent> events) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        events.forEach(event -> array.addRawValue(new RawValue(event.json())));
        return array;
    }

    static ArrayNode jsonArray(Collection<Pdu> pdus) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        pdus.forEach(pdu -> array.add(pdu.json()));
        return array;
    }

    private static int positive(String value, String name) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw MatrixException.invalidParam(name + " must be a positive integer");
    }
}
