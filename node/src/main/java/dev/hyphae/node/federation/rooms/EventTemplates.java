package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.dag.Depth;
import dev.hyphae.node.dag.PrevEventsSelection;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.room.RoomVersion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event templates of {@code make_join}, {@code make_leave} and {@code make_knock}: an
 * {@code m.room.member} event of a user of the asking server, with prev events, auth events and
 * depth from this node's view of the room, unsigned (a join to a restricted room names the local
 * member who vouches for it, {@link RestrictedJoins}). The joining server fills in the rest, signs it
 * and sends it back.
 */
final class EventTemplates {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RoomEvents events;
    private final AuthChecks auth;
    private final PrevEventsSelection prevEventsSelection = new PrevEventsSelection();
    private final String serverName;
    private final Clock clock;
    private final RestrictedJoins restricted;

    EventTemplates(RoomEvents events, AuthChecks auth, String serverName, Clock clock, RestrictedJoins restricted) {
        this.events = Objects.requireNonNull(events, "events");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.restricted = Objects.requireNonNull(restricted, "restricted");
    }

    /**
     * A membership template for {@code userId}, checked against the room's current state as if it
     * were sent (signatures aside).
     *
     * @throws MatrixException 404 for a room this node is not in, 403 when the rules would refuse it
     */
    ObjectNode membership(String roomId, RoomVersion version, String userId, String membership) {
        List<String> extremityIds = new ArrayList<>(events.forwardExtremities(roomId));
        if (extremityIds.isEmpty()) {
            throw MatrixException.notFound("this server is not in room " + roomId);
        }
        List<Pdu> extremities = new ArrayList<>(events.pdus(extremityIds, version).values());
        List<String> prevEvents = prevEventsSelection.select(extremities);
        List<Long> prevDepths = new ArrayList<>();
        for (Pdu extremity : extremities) {
            if (prevEvents.contains(extremity.eventId())) {
                prevDepths.add(extremity.depth());
            }
        }
        ObjectNode event = JSON.objectNode();
        event.put("room_id", roomId);
        event.put("sender", userId);
        event.put("state_key", userId);
        event.put("type", "m.room.member");
        event.putObject("content").put("membership", membership);
        event.put("origin", serverName);
        event.put("origin_server_ts", clock.millis());
        event.put("depth", Depth.ofNewEvent(prevDepths, version));
        ArrayNode prevArray = event.putArray("prev_events");
        prevEvents.forEach(prevArray::add);

        Map<StateKey, Pdu> current = events.stateEvents(events.currentState(roomId, version), version);
        if (membership.equals("join")) {
            restricted.authorise(event, current);
        }
        Pdu draft = new Pdu("$template", event, version);
        Set<StateKey> selected = new TreeSet<>(auth.rules().authStateKeys(draft));
        ArrayNode authArray = event.putArray("auth_events");
        for (StateKey key : selected) {
            Pdu authEvent = current.get(key);
            if (authEvent != null) {
                authArray.add(authEvent.eventId());
            }
        }
        // The rules want the vouching server's signature on a restricted join: checked on a signed copy.
        AuthDecision decision = auth.againstState(new Pdu("$template", restricted.signedCopy(event, version), version),
                current);
        if (!decision.allowed()) {
            throw MatrixException.forbidden("the room does not allow this " + membership + ": " + decision.reason());
        }
        return event;
    }
}
