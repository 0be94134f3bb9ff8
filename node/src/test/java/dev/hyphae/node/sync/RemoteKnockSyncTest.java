package dev.hyphae.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.client.RoomsTestNode;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A knock on a room of another server shows in {@code rooms.knock} with the stripped state that server answered. */
class RemoteKnockSyncTest {
    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String bob;

    @BeforeEach
    void startNode() {
        node = new RoomsTestNode(dataDir);
        bob = node.userWithToken("bob", "pw");
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void knockSentThroughAnotherServerIsInTheKnockSectionWithTheStateThatServerAnswered() {
        RoomVersion version = RoomVersions.get("12");
        String roomId = "!remoteRoomCreatedElsewhere00000000000000000";
        String userId = node.userId("bob");
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("room_id", roomId);
        event.put("sender", userId);
        event.put("state_key", userId);
        event.put("type", "m.room.member");
        event.putObject("content").put("membership", "knock");
        event.put("origin_server_ts", 1);
        event.put("depth", 5);
        event.putArray("prev_events").add("$" + "p".repeat(43));
        event.putArray("auth_events");
        Pdu knock = new EventSigner(node.identity.serverName(), node.identity.signingKey(), new SecureRandom())
                .finish(event, version);
        ObjectNode kept = knock.json().deepCopy();
        ArrayNode strippedState = kept.with("unsigned").putArray("knock_room_state");
        strippedState.addObject().put("type", "m.room.name").put("state_key", "").put("sender", "@a:elsewhere")
                .putObject("content").put("name", "Behind the door");
        strippedState.addObject().put("type", "m.room.join_rules").put("state_key", "").put("sender", "@a:elsewhere")
                .putObject("content").put("join_rule", "knock");

        node.remoteWriter.writeOutlierMembership(roomId, new Pdu(knock.eventId(), kept, version));

        RoomsTestNode.Reply sync = node.get("/_matrix/client/v3/sync", bob);
        assertEquals(200, sync.status(), sync.body().toString());
        JsonNode knockState = sync.body().path("rooms").path("knock").path(roomId).path("knock_state").path("events");
        List<String> types = new ArrayList<>();
        knockState.forEach(stripped -> types.add(stripped.path("type").asText()));
        assertTrue(types.containsAll(List.of("m.room.name", "m.room.join_rules", "m.room.member")), sync.body().toString());
        assertFalse(sync.body().path("rooms").path("join").has(roomId));
    }
}
