package dev.hyphae.node.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a /sync response as the stream providers fill it. Sections nobody filled are left
 * out, as the spec allows.
 */
final class SyncResponse {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> joined = new LinkedHashMap<>();
    private final Map<String, ObjectNode> invited = new LinkedHashMap<>();
    private final Map<String, ObjectNode> left = new LinkedHashMap<>();
    private final Map<String, ObjectNode> knocked = new LinkedHashMap<>();
    private final ArrayNode accountData = JSON.arrayNode();

    /** The entry of a joined room, made on first use. */
    ObjectNode joinedRoom(String roomId) {
        return joined.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    ObjectNode invitedRoom(String roomId) {
        return invited.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    ObjectNode leftRoom(String roomId) {
        return left.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    ObjectNode knockedRoom(String roomId) {
        return knocked.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    void addAccountData(ObjectNode event) {
        accountData.add(event);
    }

    /** Whether the providers found nothing new (a long poll keeps waiting then). */
    boolean isEmpty() {
        return joined.isEmpty() && invited.isEmpty() && left.isEmpty() && knocked.isEmpty() && accountData.isEmpty();
    }

    ObjectNode toJson(SyncToken nextBatch) {
        ObjectNode body = JSON.objectNode();
        body.put("next_batch", nextBatch.toString());
        if (!joined.isEmpty() || !invited.isEmpty() || !left.isEmpty() || !knocked.isEmpty()) {
            ObjectNode rooms = body.putObject("rooms");
            section(rooms, "join", joined);
            section(rooms, "invite", invited);
            section(rooms, "leave", left);
            section(rooms, "knock", knocked);
        }
        if (!accountData.isEmpty()) {
            body.putObject("account_data").set("events", accountData);
        }
        return body;
    }

    private static void section(ObjectNode rooms, String name, Map<String, ObjectNode> entries) {
        if (!entries.isEmpty()) {
            ObjectNode section = rooms.putObject(name);
            entries.forEach(section::set);
        }
    }
}
