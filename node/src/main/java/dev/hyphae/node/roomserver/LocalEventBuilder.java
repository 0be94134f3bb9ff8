package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.auth.EventAuthorizer;
import dev.hyphae.node.dag.Depth;
import dev.hyphae.node.dag.PrevEventsSelection;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.InvalidPduException;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.json.CanonicalJsonException;
import dev.hyphae.node.room.RoomVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds one local event on a room head and checks it: prev events from the forward extremities,
 * auth events by the auth events selection over the current state, depth, then hashes and
 * signature ({@link EventSigner}), then the authorization rules against the state before the
 * event. Pure apart from loading state events through the head; stores nothing.
 */
final class LocalEventBuilder {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The spec's limit on a whole event ("Size limits"); the event format check enforces it. */
    private static final int MAX_EVENT_BYTES = 65_536;

    private final EventAuthorizer authorizer;
    private final EventSigner signer;
    private final PrevEventsSelection prevEventsSelection;

    LocalEventBuilder(EventAuthorizer authorizer, EventSigner signer, PrevEventsSelection prevEventsSelection) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.prevEventsSelection = Objects.requireNonNull(prevEventsSelection, "prevEventsSelection");
    }

    String serverName() {
        return signer.serverName();
    }

    /**
     * The {@code m.room.create} event of a new room: no prev or auth events, depth 1. In room
     * version 12 it carries no room ID (the room ID is made from its event ID).
     *
     * @param roomId the room ID for versions before 12; ignored from 12 on
     * @throws RoomServerException when the event breaks the format or the create rules
     */
    Pdu buildCreate(RoomVersion version, String roomId, String sender, ObjectNode content, long originServerTs) {
        ObjectNode event = JSON.objectNode();
        if (!version.roomIdFromCreateEvent()) {
            event.put("room_id", Objects.requireNonNull(roomId, "roomId"));
        }
        event.put("sender", sender);
        event.put("type", "m.room.create");
        event.put("state_key", "");
        event.set("content", content.deepCopy());
        event.put("origin_server_ts", originServerTs);
        event.put("depth", 1L);
        event.set("prev_events", JSON.arrayNode());
        event.set("auth_events", JSON.arrayNode());
        Pdu pdu = finish(event, version);
        check(pdu, Map.of());
        return pdu;
    }

    /**
     * The event {@code draft} asks for, on top of {@code head}.
     *
     * @throws RoomServerException FORBIDDEN when the authorization rules reject it (with their
     *                             reason), TOO_LARGE over 64 KiB, BAD_REQUEST when it otherwise
     *                             breaks the event format
     */
    Pdu build(RoomHead head, EventDraft draft, long originServerTs) {
        RoomVersion version = head.version();
        ObjectNode event = JSON.objectNode();
        event.put("room_id", head.roomId());
        event.put("sender", draft.sender());
        event.put("type", draft.type());
        if (draft.isState()) {
            event.put("state_key", draft.stateKey());
        }
        ObjectNode content = draft.content();
        if (version.strictCanonicalJson()) {
            try {
                CanonicalJson.checkStrict(content);
            } catch (CanonicalJsonException e) {
                throw RoomServerException.badRequest("content is not canonical JSON: " + e.getMessage());
            }
        }
        if ("m.room.redaction".equals(draft.type()) && !version.redactsInContent() && content.has("redacts")) {
            // Before v11 the redacted event's ID is a top-level key; drafts always carry it in content.
            event.set("redacts", content.remove("redacts"));
        }
        event.set("content", content);
        event.put("origin_server_ts", originServerTs);

        List<String> prevEvents = prevEventsSelection.select(head.extremities());
        List<Long> prevDepths = new ArrayList<>();
        for (Pdu extremity : head.extremities()) {
            if (prevEvents.contains(extremity.eventId())) {
                prevDepths.add(extremity.depth());
            }
        }
        event.put("depth", Depth.ofNewEvent(prevDepths, version));
        ArrayNode prevArray = event.putArray("prev_events");
        prevEvents.forEach(prevArray::add);

        // The selection reads only type, sender, state key and content, which are final here.
        Set<StateKey> selected = new TreeSet<>(authorizer.authStateKeys(new Pdu("$selection", event, version)));
        Set<StateKey> wanted = new LinkedHashSet<>(selected);
        wanted.add(RoomHead.CREATE); // read by the rules in every version, even when not selected (v12)
        Map<StateKey, Pdu> authState = head.stateEvents(wanted);
        ArrayNode authArray = event.putArray("auth_events");
        for (StateKey key : selected) {
            Pdu authEvent = authState.get(key);
            if (authEvent != null) {
                authArray.add(authEvent.eventId());
            }
        }
        Pdu pdu = finish(event, version);
        check(pdu, authState);
        return pdu;
    }

    private Pdu finish(ObjectNode event, RoomVersion version) {
        try {
            return signer.finish(event, version);
        } catch (CanonicalJsonException e) {
            throw RoomServerException.badRequest("event is not canonical JSON: " + e.getMessage());
        } catch (InvalidPduException e) {
            if (canonicalSize(event) > MAX_EVENT_BYTES) {
                throw new RoomServerException(RoomServerException.Kind.TOO_LARGE, "event too large: " + e.getMessage());
            }
            throw RoomServerException.badRequest("invalid event: " + e.getMessage());
        }
    }

    private static int canonicalSize(ObjectNode event) {
        try {
            return CanonicalJson.encode(event).length;
        } catch (RuntimeException notEncodable) {
            return 0;
        }
    }

    private void check(Pdu pdu, Map<StateKey, Pdu> authState) {
        AuthDecision decision = authorizer.authorize(pdu, authState);
        if (!decision.allowed()) {
            throw RoomServerException.forbidden(decision.reason());
        }
    }
}
