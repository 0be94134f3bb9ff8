package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.acl.RoomServerAcls;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The membership handshakes of the server-server API on rooms this node is in: "Joining Rooms"
 * ({@code make_join}, {@code send_join} v2), "Knocking upon a room" ({@code make_knock},
 * {@code send_knock}), "Leaving Rooms" ({@code make_leave}, {@code send_leave} v2), and "Inviting to a
 * room" ({@code invite} v2, where this node signs an invite of one of its users).
 */
public final class MembershipEndpoints implements FederationEndpointGroup {
    /** State types an invited or knocking user's server is shown ("stripped state"). */
    static final Set<String> STRIPPED_STATE_TYPES = Set.of("m.room.create", "m.room.name", "m.room.avatar",
            "m.room.topic", "m.room.join_rules", "m.room.canonical_alias", "m.room.encryption");

    private final RoomEvents events;
    private final EventTemplates templates;
    private final PduChecks checks;
    private final IncomingPdus incoming;
    private final RemoteEventWriter writer;
    private final EventSigner signer;
    private final RoomServerAcls acls;
    private final RestrictedJoins restricted;

    MembershipEndpoints(RoomEvents events, EventTemplates templates, PduChecks checks, IncomingPdus incoming,
            RemoteEventWriter writer, EventSigner signer, RoomServerAcls acls, RestrictedJoins restricted) {
        this.events = Objects.requireNonNull(events, "events");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.incoming = Objects.requireNonNull(incoming, "incoming");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.acls = Objects.requireNonNull(acls, "acls");
        this.restricted = Objects.requireNonNull(restricted, "restricted");
    }

    @Override
    public void register(FederationRoutes routes) {
        String v1 = FederationPaths.V1;
        String v2 = FederationPaths.V2;
        routes.add(Method.GET, v1 + "/make_join/{roomId}/{userId}", (origin, request) -> make(origin, request, "join"))
                .add(Method.PUT, v2 + "/send_join/{roomId}/{eventId}", this::sendJoin)
                .add(Method.GET, v1 + "/make_knock/{roomId}/{userId}", (origin, request) -> make(origin, request, "knock"))
                .add(Method.PUT, v1 + "/send_knock/{roomId}/{eventId}", this::sendKnock)
                .add(Method.GET, v1 + "/make_leave/{roomId}/{userId}", (origin, request) -> make(origin, request, "leave"))
                .add(Method.PUT, v2 + "/send_leave/{roomId}/{eventId}", this::sendLeave)
                .add(Method.PUT, v2 + "/invite/{roomId}/{eventId}", this::invite);
    }

    /** GET make_join / make_knock / make_leave: a template for the user's membership event. */
    MatrixResponse make(String origin, MatrixRequest request, String membership) {
        String roomId = request.pathParameter("roomId");
        String userId = request.pathParameter("userId");
        acls.requireAllowed(origin, roomId);
        if (!origin.equals(RoomVisibility.serverOf(userId))) {
            throw MatrixException.forbidden("a server asks only for its own users, not " + userId);
        }
        RoomVersion version = events.version(roomId)
                .orElseThrow(() -> MatrixException.notFound("unknown room " + roomId));
        if (!membership.equals("leave")) {
            // The asking server lists the versions it supports; without ver it supports only version 1.
            List<String> supported = request.queryParameters("ver");
            if (!(supported.isEmpty() ? List.of("1") : supported).contains(version.id())) {
                throw FederationErrors.incompatibleRoomVersion(version.id());
            }
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("event", templates.membership(roomId, version, userId, membership));
        answer.put("room_version", version.id());
        return MatrixResponse.ok(answer);
    }

    /** PUT /_matrix/federation/v2/send_join/{roomId}/{eventId} */
    MatrixResponse sendJoin(String origin, MatrixRequest request) {
        Pdu join = receiveMembership(origin, request, "join");
        String roomId = join.roomId();
        RoomVersion version = join.roomVersion();
        Map<StateKey, String> state = events.stateBefore(join.eventId())
                .orElseThrow(() -> new IllegalStateException("no state recorded before " + join.eventId()));
        Set<String> chainOf = new LinkedHashSet<>(state.values());
        chainOf.addAll(join.authEventIds());
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        // The stored JSON goes out as it is: parsing a big room's state only to encode it again
        // was most of the work of answering.
        answer.set("state", EventEndpoints.storedJsonArray(events.storedAll(state.values()).values()));
        Set<String> chain = events.authChain(chainOf, roomId, version);
        answer.set("auth_chain", EventEndpoints.storedJsonArray(events.storedAll(chain).values()));
        answer.set("event", join.json());
        answer.put("members_omitted", false);
        answer.put("origin", signer.serverName());
        ArrayNode servers = answer.putArray("servers_in_room");
        serversInRoom(roomId).forEach(servers::add);
        return MatrixResponse.ok(answer);
    }

    /** PUT /_matrix/federation/v1/send_knock/{roomId}/{eventId} */
    MatrixResponse sendKnock(String origin, MatrixRequest request) {
        Pdu knock = receiveMembership(origin, request, "knock");
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("knock_room_state", strippedState(knock.roomId(), knock.roomVersion()));
        return MatrixResponse.ok(answer);
    }

    /** PUT /_matrix/federation/v2/send_leave/{roomId}/{eventId} */
    MatrixResponse sendLeave(String origin, MatrixRequest request) {
        receiveMembership(origin, request, "leave");
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** PUT /_matrix/federation/v2/invite/{roomId}/{eventId}: signs an invite of a user of this server. */
    MatrixResponse invite(String origin, MatrixRequest request) {
        String roomId = request.pathParameter("roomId");
        acls.requireAllowed(origin, roomId);
        JsonNode body = request.jsonObject().raw();
        String versionId = body.path("room_version").asText("");
        RoomVersion version = RoomVersions.find(versionId)
                .orElseThrow(() -> FederationErrors.incompatibleRoomVersion(versionId));
        Pdu invite;
        try {
            invite = checks.check(body.path("event"), version);
        } catch (RuntimeException e) {
            throw MatrixException.badJson("invalid invite event: " + e.getMessage());
        }
        if (!invite.eventId().equals(request.pathParameter("eventId")) || !roomId.equals(invite.roomId())) {
            throw MatrixException.badJson("the event's ID or room does not match the path");
        }
        String invitee = invite.stateKey().orElse("");
        if (!"m.room.member".equals(invite.type()) || !"invite".equals(invite.contentField("membership").asText(""))) {
            throw MatrixException.badJson("not an invite event");
        }
        if (!signer.serverName().equals(RoomVisibility.serverOf(invitee))) {
            throw MatrixException.forbidden(invitee + " is not a user of this server");
        }
        if (!origin.equals(RoomVisibility.serverOf(invite.sender()))) {
            throw MatrixException.forbidden("the invite's sender is not a user of " + origin);
        }
        ObjectNode signed = signer.sign(invite.json(), version);
        if (events.forwardExtremities(roomId).isEmpty()) {
            // Not in the room: the invite is all this node will have of it until the user joins. The
            // stripped state goes where clients find it, in unsigned (not covered by ID or signatures).
            ObjectNode kept = signed.deepCopy();
            JsonNode roomState = body.path("invite_room_state");
            if (roomState.isArray()) {
                ArrayNode strippedState = JsonNodeFactory.instance.arrayNode();
                roomState.forEach(entry -> {
                    if (entry.isObject() && entry.path("type").isTextual() && entry.path("state_key").isTextual()) {
                        strippedState.add(entry);
                    }
                });
                kept.with("unsigned").set("invite_room_state", strippedState);
            }
            writer.writeOutlierMembership(roomId, new Pdu(invite.eventId(), kept, version));
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("event", signed);
        return MatrixResponse.ok(answer);
    }

    /**
     * Checks a signed membership event sent back by the origin and runs it through the receiving
     * pipeline; answers 403 when it is rejected or soft-failed.
     */
    private Pdu receiveMembership(String origin, MatrixRequest request, String membership) {
        String roomId = request.pathParameter("roomId");
        acls.requireAllowed(origin, roomId);
        RoomVersion version = events.version(roomId)
                .orElseThrow(() -> MatrixException.notFound("unknown room " + roomId));
        Pdu pdu;
        try {
            pdu = checks.format(request.json(), version);
        } catch (MatrixException e) {
            throw e;
        } catch (RuntimeException e) {
            throw MatrixException.badJson("invalid event: " + e.getMessage());
        }
        if (!pdu.eventId().equals(request.pathParameter("eventId")) || !roomId.equals(pdu.roomId())) {
            throw MatrixException.badJson("the event's ID or room does not match the path");
        }
        if (!"m.room.member".equals(pdu.type()) || !membership.equals(pdu.contentField("membership").asText(""))
                || !pdu.sender().equals(pdu.stateKey().orElse(null))) {
            throw MatrixException.badJson("not a " + membership + " of the sender");
        }
        if (!origin.equals(RoomVisibility.serverOf(pdu.sender()))) {
            throw MatrixException.forbidden("the sender is not a user of " + origin);
        }
        if (membership.equals("join")) {
            // A restricted join this server vouches for needs its signature before the signature checks.
            pdu = restricted.countersign(pdu);
        }
        try {
            pdu = checks.verify(pdu);
        } catch (RuntimeException e) {
            throw MatrixException.badJson("invalid event: " + e.getMessage());
        }
        IncomingPdus.Result result = incoming.receive(origin, pdu, false);
        if (!result.accepted()) {
            throw MatrixException.forbidden(result.error().orElse("refused"));
        }
        // Only this server has the event: the room's other servers learn of it from here.
        writer.forward(pdu);
        return pdu;
    }

    private List<String> serversInRoom(String roomId) {
        Set<String> servers = new LinkedHashSet<>();
        events.read(tx -> tx.memberships().inRoom(roomId)).forEach(membership -> {
            if (membership.membership().equals("join")) {
                servers.add(RoomVisibility.serverOf(membership.userId()));
            }
        });
        return new ArrayList<>(servers);
    }

    private ArrayNode strippedState(String roomId, RoomVersion version) {
        ArrayNode stripped = JsonNodeFactory.instance.arrayNode();
        Map<StateKey, Pdu> state = new TreeMap<>(events.stateEvents(events.currentState(roomId, version), version));
        state.forEach((key, pdu) -> {
            if (STRIPPED_STATE_TYPES.contains(key.type()) && key.stateKey().isEmpty()) {
                stripped.add(stripped(pdu));
            }
        });
        return stripped;
    }

    /** The spec's StrippedStateEvent: content, sender, state_key and type. */
    static ObjectNode stripped(Pdu pdu) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.set("content", pdu.content());
        event.put("sender", pdu.sender());
        event.put("state_key", pdu.stateKey().orElse(""));
        event.put("type", pdu.type());
        return event;
    }
}
