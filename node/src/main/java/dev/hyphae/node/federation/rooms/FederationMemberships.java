package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.PduVerifier;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.federation.FederationRequest;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.roomserver.MemberProfiles;
import dev.hyphae.node.roomserver.FederatedMembership;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.node.roomserver.RemoteEventWriter.Outcome;
import dev.hyphae.node.roomserver.RoomServerException;
import dev.hyphae.node.roomserver.SentEvent;
import dev.hyphae.store.Membership;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership across servers for local users: joining a room this node is not in
 * ({@code make_join}, then {@code send_join} with the signed event, then the returned state and auth
 * chain checked and stored), rejecting an invite to such a room ({@code make_leave} /
 * {@code send_leave}), and having a remote invitee's server sign an invite ({@code invite} v2).
 */
public final class FederationMemberships implements FederatedMembership {
    private static final Logger LOG = LoggerFactory.getLogger(FederationMemberships.class);

    private final RoomEvents events;
    private final RemoteEvents remote;
    private final OutlierEvents outliers;
    private final AuthChecks auth;
    private final PduChecks checks;
    private final PduVerifier verifier;
    private final RemoteEventWriter writer;
    private final EventSigner signer;
    private final Clock clock;

    private final MemberProfiles profiles;

    FederationMemberships(RoomEvents events, RemoteEvents remote, OutlierEvents outliers, AuthChecks auth,
            PduChecks checks, PduVerifier verifier, RemoteEventWriter writer, EventSigner signer, Clock clock,
            MemberProfiles profiles) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.events = Objects.requireNonNull(events, "events");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.outliers = Objects.requireNonNull(outliers, "outliers");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SentEvent join(String roomId, String userId, List<String> servers, String reason) {
        RuntimeException last = null;
        for (String server : candidates(roomId, userId, servers)) {
            try {
                return joinThrough(server, roomId, userId, reason);
            } catch (FederationException | RoomServerException e) {
                LOG.info("joining {} through {} failed: {}", roomId, server, e.getMessage());
                last = e;
            }
        }
        throw refusal("cannot join " + roomId, last);
    }

    @Override
    public SentEvent knock(String roomId, String userId, List<String> servers, String reason) {
        RuntimeException last = null;
        for (String server : candidates(roomId, userId, servers)) {
            try {
                return knockThrough(server, roomId, userId, reason);
            } catch (FederationException | RoomServerException e) {
                LOG.info("knocking on {} through {} failed: {}", roomId, server, e.getMessage());
                last = e;
            }
        }
        throw refusal("cannot knock on " + roomId, last);
    }

    @Override
    public SentEvent leave(String roomId, String userId, String reason) {
        RuntimeException last = null;
        for (String server : candidates(roomId, userId, List.of())) {
            try {
                return leaveThrough(server, roomId, userId, reason);
            } catch (FederationException | RoomServerException e) {
                LOG.info("leaving {} through {} failed: {}", roomId, server, e.getMessage());
                last = e;
            }
        }
        Optional<Pdu> invite = pendingInvite(roomId, userId);
        if (invite.isPresent()) {
            // No server in the room answers (peers are often offline): the invite is rejected here only.
            return rejectLocally(invite.get(), reason);
        }
        throw refusal("cannot leave " + roomId, last);
    }

    /** The user's invite or knock to a room this node is not in, if that is their membership. */
    private Optional<Pdu> pendingInvite(String roomId, String userId) {
        Optional<RoomVersion> version = events.version(roomId);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        return events.read(tx -> tx.memberships().get(roomId, userId))
                .filter(membership -> membership.membership().equals("invite") || membership.membership().equals("knock"))
                .flatMap(membership -> events.pdu(membership.eventId(), version.get()));
    }

    /**
     * A leave that only this node knows of, on top of the invite: the user's membership becomes
     * "leave" here, and the room's servers hear of it only if the user joins later.
     */
    private SentEvent rejectLocally(Pdu invite, String reason) {
        String userId = invite.stateKey().orElseThrow();
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("room_id", invite.roomId());
        event.put("sender", userId);
        event.put("state_key", userId);
        event.put("type", "m.room.member");
        ObjectNode content = event.putObject("content").put("membership", "leave");
        if (reason != null && !reason.isEmpty()) {
            content.put("reason", reason);
        }
        event.put("origin_server_ts", clock.millis());
        event.put("depth", invite.depth() + 1);
        event.putArray("prev_events").add(invite.eventId());
        event.putArray("auth_events").add(invite.eventId());
        Pdu leave = signer.finish(event, invite.roomVersion());
        writer.writeOutlierMembership(invite.roomId(), leave);
        long ordering = events.stored(leave.eventId()).map(stored -> stored.streamOrdering()).orElse(0L);
        return new SentEvent(invite.roomId(), leave.eventId(), ordering, false);
    }

    @Override
    public Pdu invite(Pdu invite, List<Pdu> roomState) {
        String invitee = invite.stateKey().orElseThrow();
        String server = RoomVisibility.serverOf(invitee);
        RoomVersion version = invite.roomVersion();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("event", invite.json());
        body.put("room_version", version.id());
        ArrayNode stripped = body.putArray("invite_room_state");
        for (Pdu state : roomState) {
            if (MembershipEndpoints.STRIPPED_STATE_TYPES.contains(state.type()) && "".equals(state.stateKey().orElse(null))) {
                stripped.add(MembershipEndpoints.stripped(state));
            }
        }
        JsonNode answer;
        try {
            answer = remote.call(FederationRequest.put(server, FederationPaths.V2 + "/invite/"
                    + FederationPaths.encode(invite.roomId()) + "/" + FederationPaths.encode(invite.eventId()), body));
        } catch (FederationException e) {
            throw new RoomServerException(RoomServerException.Kind.FORBIDDEN,
                    "the invitee's server did not accept the invite: " + e.getMessage(), e);
        }
        Pdu signed;
        try {
            signed = checks.check(answer.path("event"), version);
        } catch (RuntimeException e) {
            throw RoomServerExceptions.forbidden("the invitee's server answered a bad event: " + e.getMessage());
        }
        if (!signed.eventId().equals(invite.eventId()) || !verifier.isValidlySignedBy(signed, server)) {
            throw RoomServerExceptions.forbidden("the invitee's server did not sign the invite");
        }
        return signed;
    }

    private SentEvent joinThrough(String server, String roomId, String userId, String reason) {
        ObjectNode template = makeMembership(server, "make_join", roomId, userId, true);
        RoomVersion version = versionOf(template);
        Pdu join = sign(template.path("event"), version, roomId, userId, "join", reason);
        JsonNode answer = remote.call(FederationRequest.put(server, FederationPaths.V2 + "/send_join/"
                + FederationPaths.encode(roomId) + "/" + FederationPaths.encode(join.eventId()), join.json()));
        Optional<Pdu> returned = Optional.empty();
        if (answer.path("event").isObject()) {
            try {
                // In restricted rooms the resident server adds its signature.
                returned = Optional.of(checks.check(answer.get("event"), version))
                        .filter(pdu -> pdu.eventId().equals(join.eventId()));
            } catch (RuntimeException e) {
                LOG.info("ignoring the event in the send_join answer of {}: {}", server, e.getMessage());
            }
        }
        Pdu joinEvent = returned.orElse(join);
        List<JsonNode> received = new ArrayList<>();
        answer.path("auth_chain").forEach(received::add);
        int stateFrom = received.size();
        answer.path("state").forEach(received::add);
        OutlierEvents.Imported imported = outliers.importAll(roomId, version, received);
        // The room's state is the accepted events of "state", as checked by the import (not parsed again).
        Map<StateKey, String> state = new HashMap<>();
        Map<StateKey, Pdu> stateEvents = new HashMap<>();
        for (Pdu pdu : imported.acceptedFrom(stateFrom)) {
            pdu.stateTuple().ifPresent(key -> {
                state.put(key, pdu.eventId());
                stateEvents.put(key, pdu);
            });
        }
        Pdu create = stateEvents.get(StateKey.of("m.room.create", ""));
        if (create == null || !roomId.equals(create.roomId())) {
            throw RoomServerExceptions.forbidden(server + " answered a room state without the room's create event");
        }
        AuthDecision byAuthEvents = auth.againstAuthEvents(joinEvent,
                id -> Optional.ofNullable(imported.events().get(id)).or(() -> events.pdu(id, version)),
                id -> imported.rejected().containsKey(id));
        AuthDecision byState = auth.againstState(joinEvent, stateEvents);
        if (!byAuthEvents.allowed() || !byState.allowed()) {
            throw RoomServerExceptions.forbidden("the join does not pass the room's rules: "
                    + (byAuthEvents.allowed() ? byState.reason() : byAuthEvents.reason()));
        }
        Map<StateKey, String> after = new HashMap<>(state);
        after.put(joinEvent.stateTuple().orElseThrow(), joinEvent.eventId());
        long ordering = writer.withRoom(roomId, () -> writer.write(roomId, joinEvent, state, Outcome.ACCEPTED, null,
                Set.of(joinEvent.eventId()), after));
        return new SentEvent(roomId, joinEvent.eventId(), ordering, false);
    }

    /**
     * "Knocking upon a room": the template from {@code make_knock}, signed, sent with
     * {@code send_knock}; the knock is kept as an outlier with the stripped state the resident server
     * answered in {@code unsigned.knock_room_state}, where /sync finds it.
     */
    private SentEvent knockThrough(String server, String roomId, String userId, String reason) {
        ObjectNode template = makeMembership(server, "make_knock", roomId, userId, true);
        RoomVersion version = versionOf(template);
        if (!version.authRules().knocking()) {
            throw new RoomServerException(RoomServerException.Kind.FORBIDDEN,
                    "room version " + version.id() + " does not support knocking");
        }
        Pdu knock = sign(template.path("event"), version, roomId, userId, "knock", reason);
        JsonNode answer = remote.call(FederationRequest.put(server, FederationPaths.V1 + "/send_knock/"
                + FederationPaths.encode(roomId) + "/" + FederationPaths.encode(knock.eventId()), knock.json()));
        ObjectNode kept = knock.json().deepCopy();
        kept.with("unsigned").set("knock_room_state", strippedState(answer.path("knock_room_state"), userId));
        Pdu stored = new Pdu(knock.eventId(), kept, version);
        writer.writeOutlierMembership(roomId, stored);
        long ordering = events.stored(knock.eventId()).map(event -> event.streamOrdering()).orElse(0L);
        return new SentEvent(roomId, knock.eventId(), ordering, false);
    }

    /** The well-formed stripped state events of an answer, without any of the user's own membership. */
    private static ArrayNode strippedState(JsonNode answered, String userId) {
        ArrayNode stripped = JsonNodeFactory.instance.arrayNode();
        for (JsonNode entry : answered) {
            if (entry.isObject() && entry.path("type").isTextual() && entry.path("state_key").isTextual()
                    && entry.path("content").isObject()
                    && !("m.room.member".equals(entry.path("type").asText())
                            && userId.equals(entry.path("state_key").asText()))) {
                stripped.add(entry);
            }
        }
        return stripped;
    }

    private SentEvent leaveThrough(String server, String roomId, String userId, String reason) {
        ObjectNode template = makeMembership(server, "make_leave", roomId, userId, false);
        RoomVersion version = versionOf(template);
        Pdu leave = sign(template.path("event"), version, roomId, userId, "leave", reason);
        remote.call(FederationRequest.put(server, FederationPaths.V2 + "/send_leave/"
                + FederationPaths.encode(roomId) + "/" + FederationPaths.encode(leave.eventId()), leave.json()));
        writer.writeOutlierMembership(roomId, leave);
        long ordering = events.stored(leave.eventId()).map(stored -> stored.streamOrdering()).orElse(0L);
        return new SentEvent(roomId, leave.eventId(), ordering, false);
    }

    private ObjectNode makeMembership(String server, String endpoint, String roomId, String userId, boolean versions) {
        StringBuilder uri = new StringBuilder(FederationPaths.V1).append('/').append(endpoint).append('/')
                .append(FederationPaths.encode(roomId)).append('/').append(FederationPaths.encode(userId));
        if (versions) {
            char separator = '?';
            for (String version : RoomVersions.all().keySet()) {
                uri.append(separator).append("ver=").append(FederationPaths.encode(version));
                separator = '&';
            }
        }
        JsonNode answer = remote.call(FederationRequest.get(server, uri.toString()));
        if (!answer.isObject() || !answer.path("event").isObject()) {
            throw RoomServerExceptions.forbidden(server + " answered " + endpoint + " without an event template");
        }
        return (ObjectNode) answer;
    }

    private static RoomVersion versionOf(ObjectNode answer) {
        // Servers before room versions existed leave room_version out, meaning version 1.
        String id = answer.path("room_version").asText("1");
        return RoomVersions.find(id).orElseThrow(() -> new RoomServerException(
                RoomServerException.Kind.UNSUPPORTED_ROOM_VERSION, "room version " + id + " is not supported"));
    }

    /** Completes and signs a template for {@code userId}'s own membership, after checking it is one. */
    private Pdu sign(JsonNode template, RoomVersion version, String roomId, String userId, String membership,
            String reason) {
        ObjectNode event = ((ObjectNode) template).deepCopy();
        if (!roomId.equals(event.path("room_id").asText()) || !"m.room.member".equals(event.path("type").asText())
                || !userId.equals(event.path("sender").asText()) || !userId.equals(event.path("state_key").asText())
                || !membership.equals(event.path("content").path("membership").asText())) {
            throw RoomServerExceptions.forbidden("the template is not a " + membership + " of " + userId + " in " + roomId);
        }
        event.remove(List.of("signatures", "hashes", "unsigned"));
        if (version.eventFormat() != dev.hyphae.node.room.EventFormat.V1) {
            event.remove("event_id");
        }
        event.put("origin", signer.serverName());
        event.put("origin_server_ts", clock.millis());
        if (reason != null && !reason.isEmpty()) {
            ((ObjectNode) event.path("content")).put("reason", reason);
        }
        if (membership.equals("join")) {
            profiles.addTo(userId, (ObjectNode) event.path("content"));
        }
        try {
            return signer.finish(event, version);
        } catch (RuntimeException e) {
            throw RoomServerExceptions.forbidden("the template does not make a valid event: " + e.getMessage());
        }
    }

    /**
     * The servers to ask, in order: those the client named, the server that invited the user, and
     * the server in the room ID (older room versions). Never this server.
     */
    private List<String> candidates(String roomId, String userId, List<String> servers) {
        Set<String> candidates = new LinkedHashSet<>(servers);
        events.read(tx -> tx.memberships().get(roomId, userId))
                .filter(membership -> membership.membership().equals("invite") || membership.membership().equals("knock"))
                .map(Membership::eventId)
                .flatMap(events::stored)
                .ifPresent(invite -> candidates.add(RoomVisibility.serverOf(invite.sender())));
        int colon = roomId.indexOf(':');
        if (colon > 0) {
            candidates.add(roomId.substring(colon + 1));
        }
        candidates.remove(signer.serverName());
        candidates.remove("");
        return new ArrayList<>(candidates);
    }

    private static RoomServerException refusal(String what, RuntimeException last) {
        if (last == null) {
            return new RoomServerException(RoomServerException.Kind.NOT_FOUND, what + ": no server to ask");
        }
        if (last instanceof RoomServerException roomServer) {
            return roomServer;
        }
        FederationException federation = (FederationException) last;
        RoomServerException.Kind kind = federation.status() == 404 || federation.unreachable()
                ? RoomServerException.Kind.NOT_FOUND : RoomServerException.Kind.FORBIDDEN;
        return new RoomServerException(kind, what + ": " + federation.getMessage(), federation);
    }

    /** Refusals of the membership operations, as the room server reports them. */
    private static final class RoomServerExceptions {
        static RoomServerException forbidden(String reason) {
            return new RoomServerException(RoomServerException.Kind.FORBIDDEN, reason);
        }
    }
}
