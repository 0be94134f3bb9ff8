package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.acl.ServerAclValidation;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.ClientTxn;
import dev.hyphae.node.roomserver.EventDraft;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomEventSender;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.node.roomserver.SentEvent;
import dev.hyphae.node.visibility.HistoryVisibility;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Sending and reading room events (client-server API, "Sending events to a room", "Getting events
 * for a room", "Redactions"). Reads are for current members only (see {@link RoomAccess}).
 */
public final class RoomEventEndpoints implements EndpointGroup {
    private final RoomEventSender sender;
    private final RoomQueries queries;
    private final RoomAccess access;
    private final RedactionPermission redactions;
    private final EventChunks visibleEvents;
    private final BiConsumer<String, ObjectNode> canonicalAliasCheck;

    public RoomEventEndpoints(RoomEventSender sender, RoomQueries queries) {
        this(sender, queries, (roomId, content) -> { });
    }

    /**
     * @param canonicalAliasCheck refuses (by throwing) the content of an {@code m.room.canonical_alias}
     *                            event for a room, before it is sent
     */
    public RoomEventEndpoints(RoomEventSender sender, RoomQueries queries,
            BiConsumer<String, ObjectNode> canonicalAliasCheck) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.access = new RoomAccess(queries);
        this.redactions = new RedactionPermission(queries);
        this.visibleEvents = new EventChunks(new HistoryVisibility(queries));
        this.canonicalAliasCheck = Objects.requireNonNull(canonicalAliasCheck, "canonicalAliasCheck");
    }

    @Override
    public void register(RouteTable routes) {
        String room = "/_matrix/client/v3/rooms/{roomId}";
        routes.add(Method.PUT, room + "/send/{eventType}/{txnId}", Authentication.REQUIRED, this::send)
                .add(Method.PUT, room + "/redact/{eventId}/{txnId}", Authentication.REQUIRED, this::redact)
                .add(Method.GET, room + "/event/{eventId}", Authentication.REQUIRED, this::event)
                .add(Method.GET, room + "/state", Authentication.REQUIRED, this::state)
                .add(Method.GET, room + "/state/{eventType}", Authentication.REQUIRED, this::stateEvent)
                .add(Method.GET, room + "/state/{eventType}/{stateKey}", Authentication.REQUIRED, this::stateEvent)
                .add(Method.PUT, room + "/state/{eventType}", Authentication.REQUIRED, this::putState)
                .add(Method.PUT, room + "/state/{eventType}/{stateKey}", Authentication.REQUIRED, this::putState);
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId} */
    MatrixResponse send(MatrixRequest request) {
        Requester requester = request.requester();
        String roomId = request.pathParameter("roomId");
        String type = request.pathParameter("eventType");
        String txnId = request.pathParameter("txnId");
        ObjectNode content = request.jsonObject().raw();
        ClientTxn txn = new ClientTxn(requester.deviceId(), "/rooms/" + roomId + "/send/" + type + "/" + txnId);
        if (type.equals("m.room.redaction")) {
            // Since v1.18 clients may send redactions here too: the same checks as /redact.
            String redacted = RedactionPermission.redacts(content)
                    .orElseThrow(() -> MatrixException.badJson("An m.room.redaction needs content.redacts"));
            redactions.require(roomId, requester.userId().toString(), redacted);
        }
        requireThreadRootWithoutRelation(roomId, content);
        SentEvent sent = ServiceErrors.call(() -> sender.send(
                EventDraft.message(roomId, requester.userId().toString(), type, content), txn));
        return eventId(sent);
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId} */
    MatrixResponse redact(MatrixRequest request) {
        Requester requester = request.requester();
        String roomId = request.pathParameter("roomId");
        String redacted = request.pathParameter("eventId");
        String txnId = request.pathParameter("txnId");
        JsonBody body = request.jsonObjectOrEmpty();
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("redacts", redacted);
        body.optionalString("reason").ifPresent(reason -> content.put("reason", reason));
        ClientTxn txn = new ClientTxn(requester.deviceId(), "/rooms/" + roomId + "/redact/" + redacted + "/" + txnId);
        redactions.require(roomId, requester.userId().toString(), redacted);
        SentEvent sent = ServiceErrors.call(() -> sender.send(
                EventDraft.message(roomId, requester.userId().toString(), "m.room.redaction", content), txn));
        return eventId(sent);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/event/{eventId} */
    MatrixResponse event(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String userId = request.requester().userId().toString();
        access.requireReader(roomId, userId);
        // An event the user may not see under the room's history visibility is answered as unknown.
        RoomEvent event = queries.event(request.pathParameter("eventId"))
                .filter(e -> e.pdu().roomId().equals(roomId) && visibleEvents.visibility().maySee(userId, e))
                .orElseThrow(() -> MatrixException.notFound("No such event in " + roomId));
        return MatrixResponse.ok(visibleEvents.clientEvent(userId, event));
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/state */
    MatrixResponse state(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        access.requireJoined(roomId, request.requester().userId().toString());
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        Map<StateKey, RoomEvent> state = ServiceErrors.call(() -> queries.currentState(roomId));
        Map<String, Aggregations> redacted = queries.aggregations(state.values(), request.requester().userId().toString());
        state.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> events.add(ClientEventFormat.clientEvent(entry.getValue().pdu(),
                        redacted.get(entry.getValue().eventId()))));
        return MatrixResponse.ok(events);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey} */
    MatrixResponse stateEvent(MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        String type = request.pathParameter("eventType");
        String stateKey = stateKey(request);
        access.requireJoined(roomId, request.requester().userId().toString());
        RoomEvent event = ServiceErrors.call(() -> queries.stateEvent(roomId, type, stateKey))
                .orElseThrow(() -> MatrixException.notFound("The room has no " + type + " state with key '" + stateKey + "'"));
        String format = request.queryParameter("format").orElse("content");
        if (format.equals("event")) {
            Aggregations redacted = queries.aggregations(List.of(event), request.requester().userId().toString())
                    .get(event.eventId());
            return MatrixResponse.ok(ClientEventFormat.clientEvent(event.pdu(), redacted));
        }
        if (!format.equals("content")) {
            throw MatrixException.invalidParam("format must be content or event");
        }
        return MatrixResponse.ok(event.pdu().content());
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey} */
    MatrixResponse putState(MatrixRequest request) {
        Requester requester = request.requester();
        String roomId = request.pathParameter("roomId");
        String type = request.pathParameter("eventType");
        String stateKey = stateKey(request);
        ObjectNode content = request.jsonObject().raw();
        if (type.equals("m.room.canonical_alias") && stateKey.isEmpty()) {
            ServiceErrors.call(() -> {
                canonicalAliasCheck.accept(roomId, content);
                return null;
            });
        }
        if (type.equals("m.room.server_acl")) {
            try {
                ServerAclValidation.validate(content, requester.userId().serverName().toString());
            } catch (ServerAclValidation.InvalidServerAclException e) {
                throw new MatrixException(e.status(), e.errcode(), e.getMessage());
            }
        }
        SentEvent sent = ServiceErrors.call(() -> sender.send(
                EventDraft.state(roomId, requester.userId().toString(), type, stateKey, content)));
        return eventId(sent);
    }

    /**
     * "Servers SHOULD reject client requests which attempt to start a thread off an event with an
     * m.relates_to property" (400, M_UNKNOWN, as the spec says for want of a better code).
     */
    private void requireThreadRootWithoutRelation(String roomId, ObjectNode content) {
        JsonNode relatesTo = content.path("m.relates_to");
        if (!"m.thread".equals(relatesTo.path("rel_type").asText()) || !relatesTo.path("event_id").isTextual()) {
            return;
        }
        queries.event(relatesTo.get("event_id").textValue())
                .filter(root -> root.pdu().roomId().equals(roomId) && root.pdu().contentField("m.relates_to").isObject())
                .ifPresent(root -> {
                    throw new MatrixException(400, MatrixException.M_UNKNOWN,
                            "A thread cannot start from an event that itself has m.relates_to");
                });
    }

    /** The state key of the path; the routes without one (or with an empty last segment) mean "". */
    private static String stateKey(MatrixRequest request) {
        try {
            return request.pathParameter("stateKey");
        } catch (IllegalArgumentException noStateKeySegment) {
            return "";
        }
    }

    private static MatrixResponse eventId(SentEvent sent) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("event_id", sent.eventId());
        return MatrixResponse.ok(response);
    }
}
