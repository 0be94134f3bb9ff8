package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.relations.Aggregations;
import dev.hyphae.node.roomserver.RoomEvent;
import java.util.Set;

/**
 * Turns stored events into the client-server API's formats: the ClientEvent of /messages, /event
 * and /state, the same without {@code room_id} for /sync, and the stripped state of invites.
 */
public final class ClientEventFormat {
    /** The state an invited user is shown ("Stripped state"), besides the invite itself. */
    public static final Set<String> STRIPPED_STATE_TYPES = Set.of("m.room.create", "m.room.name",
            "m.room.avatar", "m.room.topic", "m.room.join_rules", "m.room.canonical_alias", "m.room.encryption");

    private ClientEventFormat() {
    }

    /** The spec's ClientEvent. */
    public static ObjectNode clientEvent(RoomEvent event) {
        return clientEvent(event.pdu());
    }

    /** The spec's ClientEvent. */
    public static ObjectNode clientEvent(Pdu pdu) {
        ObjectNode json = withoutRoomId(pdu);
        json.put("room_id", pdu.roomId());
        return json;
    }

    /** The spec's ClientEventWithoutRoomID, as /sync returns events inside their room. */
    public static ObjectNode withoutRoomId(Pdu pdu) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.set("content", pdu.content());
        json.put("event_id", pdu.eventId());
        json.put("origin_server_ts", pdu.originServerTs());
        json.put("sender", pdu.sender());
        json.put("type", pdu.type());
        pdu.stateKey().ifPresent(key -> json.put("state_key", key));
        if (pdu.type().equals("m.room.redaction")) {
            pdu.redacts().ifPresent(redacts -> json.put("redacts", redacts));
        }
        JsonNode unsigned = pdu.field("unsigned");
        json.set("unsigned", unsigned.isObject() ? unsigned.deepCopy() : JsonNodeFactory.instance.objectNode());
        return json;
    }

    /**
     * The spec's ClientEvent with what the server adds under {@code unsigned}: the redaction that
     * redacted it ({@code redacted_because}) and its bundled aggregations ({@code m.relations}).
     */
    public static ObjectNode clientEvent(Pdu pdu, Aggregations aggregations) {
        ObjectNode json = clientEvent(pdu);
        addUnsigned(json, aggregations, true);
        return json;
    }

    /** {@link #withoutRoomId(Pdu)} with {@code redacted_because} and bundled aggregations, for /sync. */
    public static ObjectNode withoutRoomId(Pdu pdu, Aggregations aggregations) {
        ObjectNode json = withoutRoomId(pdu);
        addUnsigned(json, aggregations, false);
        return json;
    }

    private static void addUnsigned(ObjectNode json, Aggregations aggregations, boolean withRoomId) {
        if (aggregations == null) {
            return;
        }
        ObjectNode unsigned = json.with("unsigned");
        aggregations.redactedBecause().ifPresent(redaction -> unsigned.set("redacted_because", clientEvent(redaction)));
        if (!aggregations.hasRelations()) {
            return;
        }
        ObjectNode relations = unsigned.putObject("m.relations");
        aggregations.thread().ifPresent(thread -> {
            ObjectNode summary = relations.putObject("m.thread");
            summary.set("latest_event", withRoomId
                    ? clientEvent(thread.latestEvent(), thread.latestEventAggregations())
                    : withoutRoomId(thread.latestEvent(), thread.latestEventAggregations()));
            summary.put("count", thread.count());
            summary.put("current_user_participated", thread.currentUserParticipated());
        });
        aggregations.replacement().ifPresent(edit -> relations.set("m.replace",
                withRoomId ? clientEvent(edit) : withoutRoomId(edit)));
        if (!aggregations.references().isEmpty()) {
            var chunk = relations.putObject("m.reference").putArray("chunk");
            aggregations.references().forEach(id -> chunk.addObject().put("event_id", id));
        }
    }

    /** The spec's StrippedStateEvent: content, sender, state_key and type only. */
    public static ObjectNode stripped(Pdu pdu) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.set("content", pdu.content());
        json.put("sender", pdu.sender());
        json.put("state_key", pdu.stateKey().orElse(""));
        json.put("type", pdu.type());
        return json;
    }
}
