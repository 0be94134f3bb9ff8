package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
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
