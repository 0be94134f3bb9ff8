package dev.hyphae.node.dag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersions;
import java.util.List;

/** Minimal events for DAG tests. */
final class DagEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DagEvents() {
    }

    static Pdu event(String id, long depth, long ts, List<String> prevEvents, List<String> authEvents) {
        ObjectNode json = JSON.createObjectNode();
        json.put("room_id", "!room:example.com");
        json.put("sender", "@alice:example.com");
        json.put("type", "m.room.message");
        json.putObject("content");
        json.put("depth", depth);
        json.put("origin_server_ts", ts);
        prevEvents.forEach(json.withArray("prev_events")::add);
        authEvents.forEach(json.withArray("auth_events")::add);
        return new Pdu(id, json, RoomVersions.get("10"));
    }
}
