package dev.hyphae.node.stateres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds small rooms of events for tests: IDs as given, timestamps in creation order. */
final class TestRoom {
    static final String ALICE = "@alice:example.com";
    static final String BOB = "@bob:example.com";
    static final String CHARLIE = "@charlie:example.com";

    private static final ObjectMapper JSON = new ObjectMapper();

    final RoomVersion version;
    final Map<String, Pdu> events = new LinkedHashMap<>();
    final Set<String> rejected = new HashSet<>();
    private long ts = 1000;

    TestRoom(String versionId) {
        this.version = RoomVersions.get(versionId);
    }

    /** Adds an event; {@code stateKey} null for a message event; {@code content} as JSON text. */
    Pdu add(String id, String sender, String type, String stateKey, String content, List<String> authEvents) {
        return add(id, sender, type, stateKey, content, authEvents, ts++);
    }

    Pdu add(String id, String sender, String type, String stateKey, String content, List<String> authEvents,
            long originServerTs) {
        ObjectNode json = JSON.createObjectNode();
        json.put("room_id", "!room:example.com");
        json.put("sender", sender);
        json.put("type", type);
        if (stateKey != null) {
            json.put("state_key", stateKey);
        }
        try {
            json.set("content", JSON.readTree(content));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(content, e);
        }
        ArrayNode auth = json.putArray("auth_events");
        authEvents.forEach(auth::add);
        json.putArray("prev_events");
        json.put("depth", events.size() + 1);
        json.put("origin_server_ts", originServerTs);
        Pdu pdu = new Pdu(id, json, version);
        events.put(id, pdu);
        return pdu;
    }

    /** Create, Alice's join and power levels giving Alice 100: ids CREATE, MA, PL0. */
    TestRoom withBasics() {
        add("CREATE", ALICE, "m.room.create", "", "{\"creator\":\"" + ALICE + "\"}", List.of());
        add("MA", ALICE, "m.room.member", ALICE, "{\"membership\":\"join\"}", List.of("CREATE"));
        add("PL0", ALICE, "m.room.power_levels", "", "{\"users\":{\"" + ALICE + "\":100}}", List.of("CREATE", "MA"));
        return this;
    }

    Optional<Pdu> find(String id) {
        return Optional.ofNullable(events.get(id));
    }

    ResolutionEvents resolutionEvents() {
        return new ResolutionEvents(this::find, rejected::contains, version);
    }
}
