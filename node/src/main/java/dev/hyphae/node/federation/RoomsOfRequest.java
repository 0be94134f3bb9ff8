package dev.hyphae.node.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.transportpolicy.TransportPolicy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The rooms whose traffic a federation request carries: room IDs in its path (make_join, backfill,
 * state, ...), and in a transaction's PDUs and room EDUs (typing, receipts). A request with none
 * (keys, to-device, device lists) belongs to no room.
 */
final class RoomsOfRequest {
    private RoomsOfRequest() {
    }

    static Set<String> roomIds(FederationRequest request) {
        Set<String> rooms = pathRoomIds(request.uri());
        if (request.roomId() != null) {
            rooms.add(request.roomId());
        }
        JsonNode body = request.body();
        if (body != null) {
            for (JsonNode pdu : body.path("pdus")) {
                addText(rooms, pdu.get("room_id"));
            }
            for (JsonNode edu : body.path("edus")) {
                JsonNode content = edu.path("content");
                addText(rooms, content.get("room_id"));
                if ("m.receipt".equals(edu.path("edu_type").asText())) {
                    content.fieldNames().forEachRemaining(room -> {
                        if (room.startsWith("!")) {
                            rooms.add(room);
                        }
                    });
                }
            }
        }
        return rooms;
    }

    /**
     * Whether {@code pdu} is a room's transport policy event ({@link TransportPolicy#EVENT_TYPE},
     * state key ""): the policy it sets is in force after it, so its own carriage obeys that
     * policy as well as the one before it.
     */
    static boolean isPolicyEvent(JsonNode pdu) {
        if (!pdu.isObject()) {
            return false;
        }
        JsonNode type = pdu.get("type");
        JsonNode stateKey = pdu.get("state_key");
        return type != null && type.isTextual() && TransportPolicy.EVENT_TYPE.equals(type.textValue())
                && stateKey != null && stateKey.isTextual() && stateKey.textValue().isEmpty();
    }

    /** The room IDs in a request target's path (percent-encoded, query ignored). */
    static Set<String> pathRoomIds(String uri) {
        Set<String> rooms = new LinkedHashSet<>();
        int query = uri.indexOf('?');
        for (String segment : (query < 0 ? uri : uri.substring(0, query)).split("/")) {
            String decoded = decode(segment);
            // Room IDs are the only identifiers with the '!' sigil.
            if (decoded.startsWith("!") && decoded.length() > 1) {
                rooms.add(decoded);
            }
        }
        return rooms;
    }

    private static void addText(Set<String> rooms, JsonNode roomId) {
        if (roomId != null && roomId.isTextual() && roomId.textValue().startsWith("!")) {
            rooms.add(roomId.textValue());
        }
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
