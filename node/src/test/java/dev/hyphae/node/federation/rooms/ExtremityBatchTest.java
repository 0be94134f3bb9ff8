package dev.hyphae.node.federation.rooms;

import static dev.hyphae.node.federation.rooms.FederationRoomsTest.assertAccepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.roomserver.CreateRoomRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several PDUs in one transaction (alice on A, bob on B, B pushing to A): each is checked against
 * the state the ones before it left, as if received one by one.
 */
class ExtremityBatchTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void shareARoom() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
        alice = a.user("alice");
        bob = b.user("bob");
        roomId = sharedRoom();
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    /** A room of alice that bob joined; bob may set the topic (50) but not the name (100). */
    private String sharedRoom() {
        ObjectNode powerLevels = JSON.objectNode();
        powerLevels.putObject("users").put(bob, 50);
        powerLevels.putObject("events").put("m.room.name", 100);
        String room = a.creator.createRoom(new CreateRoomRequest(alice, null, null, null, null, null, null, List.of(),
                false, null, List.of(), powerLevels));
        a.memberships.invite(room, alice, bob, null, false);
        b.memberships.join(room, bob, null, List.of());
        return room;
    }

    @Test
    void eventsOfOneRoomInOneTransactionAreAcceptedInOrderAndTheLastStateChangeIsTheState() {
        String first = b.sendText(roomId, bob, "first");
        String topic = b.sendState(roomId, bob, "m.room.topic", JSON.objectNode().put("topic", "from bob"));
        String last = b.sendText(roomId, bob, "last");

        JsonNode results = b.push(a, first, topic, last);

        assertAccepted(results, first);
        assertAccepted(results, topic);
        assertAccepted(results, last);
        assertEquals(Set.of(last), a.extremities(roomId));
        assertEquals(topic, a.state(roomId).get(StateKey.of("m.room.topic", "")));
        assertEquals(b.state(roomId), a.state(roomId));
        assertTrue(a.timeline(roomId).containsAll(List.of(first, topic, last)), a.timeline(roomId).toString());
    }

    @Test
    void aRejectedEventInATransactionChangesNothingForTheEventsAfterIt() {
        Map<StateKey, String> stateBefore = a.state(roomId);
        // Both on A's extremities: the name (bob's level is below it) is rejected, the message is not.
        Pdu name = forge(bob, "m.room.name", "", JSON.objectNode().put("name", "taken over"));
        Pdu message = forge(bob, "m.room.message", null, JSON.objectNode().put("msgtype", "m.text").put("body", "hi"));

        JsonNode results = b.pushAs(b.serverName, a, "rejected-then-accepted", List.of(name.json(), message.json()));

        assertTrue(results.path(name.eventId()).path("error").asText().startsWith("rejected"), results.toString());
        assertAccepted(results, message.eventId());
        assertEquals(Set.of(message.eventId()), a.extremities(roomId));
        assertEquals(stateBefore, a.state(roomId));
        assertFalse(a.timeline(roomId).contains(name.eventId()));
        assertTrue(a.timeline(roomId).contains(message.eventId()));
    }

    @Test
    void anEventOnAnEarlierEventOfTheSameTransactionThatWasRejectedGoesThroughTheFullChecks() {
        Pdu name = forge(bob, "m.room.name", "", JSON.objectNode().put("name", "taken over"));
        Pdu onRejected = forgeOn(List.of(name.eventId()), a.event(a.extremities(roomId).iterator().next()).depth() + 2,
                bob, "m.room.message", JSON.objectNode().put("msgtype", "m.text").put("body", "after"));

        JsonNode results = b.pushAs(b.serverName, a, "on-rejected", List.of(name.json(), onRejected.json()));

        assertTrue(results.path(name.eventId()).path("error").asText().startsWith("rejected"), results.toString());
        assertTrue(results.has(onRejected.eventId()), "every event gets its result: " + results);
        assertFalse(a.extremities(roomId).contains(name.eventId()));
    }

    @Test
    void eventsOfTwoRoomsInOneTransactionAreEachAcceptedInTheirRoom() {
        String other = sharedRoom();
        String first = b.sendText(roomId, bob, "room one, first");
        String otherFirst = b.sendText(other, bob, "room two, first");
        String second = b.sendText(roomId, bob, "room one, second");
        String otherSecond = b.sendText(other, bob, "room two, second");

        JsonNode results = b.push(a, first, otherFirst, second, otherSecond);

        for (String id : List.of(first, otherFirst, second, otherSecond)) {
            assertAccepted(results, id);
        }
        assertEquals(Set.of(second), a.extremities(roomId));
        assertEquals(Set.of(otherSecond), a.extremities(other));
        assertTrue(a.timeline(other).containsAll(List.of(otherFirst, otherSecond)));
    }

    @Test
    void anEventAlreadyStoredInATransactionIsAnsweredWithoutBeingStoredAgain() {
        String first = b.sendText(roomId, bob, "first");
        assertAccepted(b.push(a, first), first);
        String second = b.sendText(roomId, bob, "second");

        JsonNode results = b.push(a, first, second);

        assertAccepted(results, first);
        assertAccepted(results, second);
        assertEquals(Set.of(second), a.extremities(roomId));
        assertEquals(1, a.timeline(roomId).stream().filter(first::equals).count());
    }

    /** An event of bob on A's current extremities, with auth events from A's current state. */
    private Pdu forge(String sender, String type, String stateKey, ObjectNode content) {
        long depth = 0;
        for (String extremity : a.extremities(roomId)) {
            depth = Math.max(depth, a.event(extremity).depth());
        }
        ObjectNode event = draft(sender, type, stateKey, content, List.copyOf(a.extremities(roomId)), depth + 1);
        return b.signer.finish(event, a.queries.roomVersion(roomId));
    }

    private Pdu forgeOn(List<String> prevs, long depth, String sender, String type, ObjectNode content) {
        return b.signer.finish(draft(sender, type, null, content, prevs, depth), a.queries.roomVersion(roomId));
    }

    private ObjectNode draft(String sender, String type, String stateKey, ObjectNode content, List<String> prevs,
            long depth) {
        Map<StateKey, String> state = a.state(roomId);
        ObjectNode event = JSON.objectNode();
        event.put("room_id", roomId);
        event.put("sender", sender);
        event.put("type", type);
        if (stateKey != null) {
            event.put("state_key", stateKey);
        }
        event.set("content", content);
        event.put("origin_server_ts", System.currentTimeMillis());
        ArrayNode prevArray = event.putArray("prev_events");
        prevs.forEach(prevArray::add);
        event.put("depth", depth);
        ArrayNode auth = event.putArray("auth_events");
        List<StateKey> keys = new ArrayList<>(List.of(StateKey.of("m.room.power_levels", ""),
                StateKey.of("m.room.member", sender)));
        if (!a.queries.roomVersion(roomId).roomIdFromCreateEvent()) {
            keys.add(StateKey.of("m.room.create", ""));
        }
        for (StateKey key : keys) {
            if (state.containsKey(key)) {
                auth.add(state.get(key));
            }
        }
        return event;
    }
}
