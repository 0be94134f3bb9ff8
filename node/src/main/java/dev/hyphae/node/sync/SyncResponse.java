package dev.hyphae.node.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The body of a /sync response as the stream providers fill it. Sections nobody filled are left
 * out, as the spec allows.
 */
public final class SyncResponse {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> joined = new LinkedHashMap<>();
    private final Map<String, ObjectNode> invited = new LinkedHashMap<>();
    private final Map<String, ObjectNode> left = new LinkedHashMap<>();
    private final Map<String, ObjectNode> knocked = new LinkedHashMap<>();
    private final ArrayNode accountData = JSON.arrayNode();
    private final Map<String, JsonNode> topLevel = new LinkedHashMap<>();
    private final Map<String, JsonNode> alwaysSent = new LinkedHashMap<>();

    /** The entry of a joined room, made on first use. */
    public ObjectNode joinedRoom(String roomId) {
        return joined.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    /** The rooms of {@code rooms.join} filled so far, in the order they were added. */
    public Set<String> joinedRoomIds() {
        return Collections.unmodifiableSet(joined.keySet());
    }

    /** Adds an ephemeral event (typing, receipts) to a joined room's {@code ephemeral.events}. */
    public void addEphemeral(String roomId, ObjectNode event) {
        ObjectNode entry = joinedRoom(roomId);
        ObjectNode section = entry.has("ephemeral") ? (ObjectNode) entry.get("ephemeral") : entry.putObject("ephemeral");
        ArrayNode events = section.has("events") ? (ArrayNode) section.get("events") : section.putArray("events");
        events.add(event);
    }

    public ObjectNode invitedRoom(String roomId) {
        return invited.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    public ObjectNode leftRoom(String roomId) {
        return left.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    public ObjectNode knockedRoom(String roomId) {
        return knocked.computeIfAbsent(roomId, id -> JSON.objectNode());
    }

    public void addAccountData(ObjectNode event) {
        accountData.add(event);
    }

    /**
     * A top-level section such as {@code to_device} or {@code device_lists}, made on first use;
     * a section made counts as news, so a long poll answers at once.
     */
    public ObjectNode section(String name) {
        return (ObjectNode) topLevel.computeIfAbsent(name, n -> JSON.objectNode());
    }

    /**
     * A top-level field sent with every answer that is not news by itself, such as
     * {@code device_one_time_keys_count}.
     */
    public void putAlwaysSent(String name, JsonNode value) {
        alwaysSent.put(name, value);
    }

    /** Whether the providers found nothing new (a long poll keeps waiting then). */
    boolean isEmpty() {
        return joined.isEmpty() && invited.isEmpty() && left.isEmpty() && knocked.isEmpty() && accountData.isEmpty()
                && topLevel.isEmpty();
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
        topLevel.forEach(body::set);
        alwaysSent.forEach(body::set);
        return body;
    }

    private static void section(ObjectNode rooms, String name, Map<String, ObjectNode> entries) {
        if (!entries.isEmpty()) {
            ObjectNode section = rooms.putObject(name);
            entries.forEach(section::set);
        }
    }
}
