package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identifier.EventId;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.RoomId;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.json.CanonicalJsonException;
import dev.hyphae.node.room.EventFormat;
import dev.hyphae.node.room.RoomVersion;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The event format checks of the room versions (the PDU schemas of each version, and "Size
 * limits" in the client-server API). Throws {@link InvalidPduException} naming the first problem.
 */
final class PduFormat {
    /** The largest canonical event, signatures included. */
    static final int MAX_EVENT_BYTES = 65_536;
    static final int MAX_KEY_BYTES = 255;
    static final int MAX_AUTH_EVENTS = 10;
    static final int MAX_PREV_EVENTS = 20;

    private PduFormat() {
    }

    /** Checks the event's shape; returns its canonical JSON size in bytes. */
    static int check(ObjectNode event, RoomVersion version) {
        return checkAndEncode(event, version).length;
    }

    /** Checks the event's shape; returns its canonical JSON (the size check encodes it anyway). */
    static byte[] checkAndEncode(ObjectNode event, RoomVersion version) {
        if (version.strictCanonicalJson()) {
            try {
                CanonicalJson.checkStrict(event);
            } catch (CanonicalJsonException e) {
                throw new InvalidPduException("not canonical JSON: " + e.getMessage(), e);
            }
        }
        String type = requireString(event, "type");
        checkLength("type", type);
        String sender = requireString(event, "sender");
        try {
            UserId.parse(sender);
        } catch (InvalidIdentifierException e) {
            throw new InvalidPduException("bad sender: " + e.getMessage(), e);
        }
        requireInteger(event, "origin_server_ts");
        long depth = requireInteger(event, "depth");
        if (depth < 0) {
            throw new InvalidPduException("depth must not be negative");
        }
        requireObject(event, "content");
        checkHashes(event);
        checkSignatures(event);
        JsonNode stateKey = event.get("state_key");
        if (stateKey != null) {
            if (!stateKey.isTextual()) {
                throw new InvalidPduException("state_key must be a string");
            }
            checkLength("state_key", stateKey.textValue());
        }
        JsonNode unsigned = event.get("unsigned");
        if (unsigned != null && !unsigned.isObject()) {
            throw new InvalidPduException("unsigned must be an object");
        }
        if (!version.redactsInContent()) {
            JsonNode redacts = event.get("redacts");
            if (redacts != null && !redacts.isTextual()) {
                throw new InvalidPduException("redacts must be a string");
            }
        }
        checkRoomId(event, version, type, stateKey);
        if (version.eventFormat() == EventFormat.V1) {
            String eventId = requireString(event, "event_id");
            parseEventId("event_id", eventId);
        }
        checkReferences(event, version, "auth_events", MAX_AUTH_EVENTS);
        checkReferences(event, version, "prev_events", MAX_PREV_EVENTS);
        byte[] encoded;
        try {
            encoded = CanonicalJson.encode(event);
        } catch (CanonicalJsonException e) {
            throw new InvalidPduException("cannot be encoded as canonical JSON: " + e.getMessage(), e);
        }
        if (encoded.length > MAX_EVENT_BYTES) {
            throw new InvalidPduException("event is " + encoded.length + " bytes of canonical JSON, more than "
                    + MAX_EVENT_BYTES);
        }
        return encoded;
    }

    private static void checkRoomId(ObjectNode event, RoomVersion version, String type, JsonNode stateKey) {
        JsonNode roomId = event.get("room_id");
        boolean create = "m.room.create".equals(type) && stateKey != null && "".equals(stateKey.textValue());
        if (version.roomIdFromCreateEvent() && create) {
            // The room ID of a version 12 room is the create event's own ID, so it cannot be inside it.
            if (roomId != null) {
                throw new InvalidPduException("room version " + version.id() + " create events must not have a room_id");
            }
            return;
        }
        if (roomId == null || !roomId.isTextual()) {
            throw new InvalidPduException("missing string room_id");
        }
        RoomId parsed;
        try {
            parsed = RoomId.parse(roomId.textValue());
        } catch (InvalidIdentifierException e) {
            throw new InvalidPduException("bad room_id: " + e.getMessage(), e);
        }
        if (version.roomIdFromCreateEvent() != parsed.isHashForm()) {
            throw new InvalidPduException("room version " + version.id() + " room IDs "
                    + (version.roomIdFromCreateEvent() ? "are create event hashes" : "have a server name") + ", got "
                    + roomId.textValue());
        }
    }

    private static void checkReferences(ObjectNode event, RoomVersion version, String key, int max) {
        JsonNode refs = event.get(key);
        if (refs == null || !refs.isArray()) {
            throw new InvalidPduException("missing array " + key);
        }
        if (refs.size() > max) {
            throw new InvalidPduException(key + " has " + refs.size() + " entries, more than " + max);
        }
        for (JsonNode ref : refs) {
            if (version.eventFormat() == EventFormat.V1) {
                // Versions 1 and 2 reference events as [event_id, {"sha256": ...}] pairs.
                if (!ref.isArray() || ref.size() != 2 || !ref.get(0).isTextual() || !ref.get(1).isObject()) {
                    throw new InvalidPduException(key + " entries must be [event_id, hashes] pairs");
                }
                parseEventId(key, ref.get(0).textValue());
            } else {
                if (!ref.isTextual()) {
                    throw new InvalidPduException(key + " entries must be event ID strings");
                }
                parseEventId(key, ref.textValue());
            }
        }
    }

    private static void parseEventId(String key, String id) {
        try {
            EventId.parse(id);
        } catch (InvalidIdentifierException e) {
            throw new InvalidPduException("bad " + key + ": " + e.getMessage(), e);
        }
    }

    private static void checkHashes(ObjectNode event) {
        JsonNode hashes = requireObject(event, "hashes");
        JsonNode sha256 = hashes.get("sha256");
        if (sha256 == null || !sha256.isTextual()) {
            throw new InvalidPduException("hashes must have a string sha256");
        }
    }

    private static void checkSignatures(ObjectNode event) {
        JsonNode signatures = requireObject(event, "signatures");
        for (Iterator<Map.Entry<String, JsonNode>> it = signatures.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> server = it.next();
            if (!server.getValue().isObject()) {
                throw new InvalidPduException("signatures of " + server.getKey() + " must be an object");
            }
            for (JsonNode signature : server.getValue()) {
                if (!signature.isTextual()) {
                    throw new InvalidPduException("signatures of " + server.getKey() + " must be strings");
                }
            }
        }
    }

    private static String requireString(ObjectNode event, String key) {
        JsonNode value = event.get(key);
        if (value == null || !value.isTextual()) {
            throw new InvalidPduException("missing string " + key);
        }
        return value.textValue();
    }

    private static long requireInteger(ObjectNode event, String key) {
        JsonNode value = event.get(key);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidPduException("missing integer " + key);
        }
        return value.longValue();
    }

    private static JsonNode requireObject(ObjectNode event, String key) {
        JsonNode value = event.get(key);
        if (value == null || !value.isObject()) {
            throw new InvalidPduException("missing object " + key);
        }
        return value;
    }

    private static void checkLength(String key, String value) {
        if (value.length() > MAX_KEY_BYTES / 3 && value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new InvalidPduException(key + " is longer than " + MAX_KEY_BYTES + " bytes");
        }
    }
}
