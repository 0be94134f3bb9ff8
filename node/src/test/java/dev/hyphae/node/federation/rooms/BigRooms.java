package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.roomserver.RoomPreset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Public rooms with many members, and the events a {@code send_join} answer for them holds. */
final class BigRooms {
    private BigRooms() {
    }

    /** A send_join answer's events with three bad ones among its member events. */
    record Tampered(List<JsonNode> events, int badSignatureAt, int badContentHashAt, int notAnEventAt) {
    }

    /** A public room of {@code node} in {@code roomVersion} with {@code members} joined members. */
    static String build(FederatedTestNode node, String roomVersion, int members) {
        String alice = node.user("alice");
        String roomId = node.creator.createRoom(new CreateRoomRequest(alice, roomVersion, RoomPreset.PUBLIC_CHAT,
                "public", null, "crowd", null, List.of(), false, null, List.of(), null));
        for (int m = 1; m < members; m++) {
            node.memberships.join(roomId, node.user("member" + m), null);
        }
        return roomId;
    }

    /** The events of a send_join answer for the room's current state: the auth chain, then the state. */
    static List<JsonNode> sendJoinEvents(FederatedTestNode node, String roomId) {
        RoomEvents events = FederatedJoinBench.events(node);
        RoomVersion version = events.version(roomId).orElseThrow();
        return FederatedJoinBench.sendJoinEvents(events, node.state(roomId).values(), roomId, version);
    }

    static List<JsonNode> sendJoinEvents(FederatedTestNode node, String roomVersion, int members) {
        return sendJoinEvents(node, build(node, roomVersion, members));
    }

    /**
     * {@code events} with, among the member events in the middle that it holds once: one whose signature is not its
     * server's, one whose content was changed after signing (content hash), one that is not an event.
     */
    static Tampered withBadEvents(List<JsonNode> events) {
        List<Integer> members = new ArrayList<>();
        for (int i = events.size() / 3; i < events.size(); i++) {
            JsonNode event = events.get(i);
            // Only events the answer holds once: the others have a good copy elsewhere in it.
            if ("m.room.member".equals(event.path("type").asText()) && events.stream().filter(event::equals).count() == 1) {
                members.add(i);
            }
        }
        if (members.size() < 3) {
            throw new IllegalArgumentException("too few member events to tamper with");
        }
        List<JsonNode> tampered = new ArrayList<>(events);
        int badSignature = members.get(0);
        tampered.set(badSignature, withBadSignature(events.get(badSignature)));
        int badHash = members.get(1);
        ObjectNode changed = ((ObjectNode) events.get(badHash)).deepCopy();
        changed.with("content").put("displayname", "changed after signing");
        tampered.set(badHash, changed);
        int notAnEvent = members.get(2);
        tampered.set(notAnEvent, JsonNodeFactory.instance.textNode("not an event"));
        return new Tampered(tampered, badSignature, badHash, notAnEvent);
    }

    /** The event with each of its signatures replaced by one that does not verify. */
    static ObjectNode withBadSignature(JsonNode event) {
        ObjectNode forged = ((ObjectNode) event).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> servers = forged.with("signatures").fields(); servers.hasNext();) {
            ObjectNode keys = (ObjectNode) servers.next().getValue();
            List<String> ids = new ArrayList<>();
            keys.fieldNames().forEachRemaining(ids::add);
            ids.forEach(keyId -> keys.put(keyId, "A".repeat(86)));
        }
        return forged;
    }
}
