package dev.hyphae.node.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.client.RoomsTestNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History visibility in the timelines of /sync, through the endpoint. */
class VisibleTimelineTest {
    private static final String V3 = "/_matrix/client/v3";

    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String bobId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        bobId = node.userId("bob");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String room(String historyVisibility) {
        return node.createRoom(alice, """
                {"preset": "public_chat", "initial_state": [{"type": "m.room.history_visibility", "state_key": "",
                 "content": {"history_visibility": "%s"}}]}""".formatted(historyVisibility));
    }

    private JsonNode sync(String token, String query) {
        RoomsTestNode.Reply reply = node.get(V3 + "/sync" + query, token);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private void membership(String roomId, String action, String token) {
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/" + action, "{}", token).status());
    }

    private void invite(String roomId) {
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/invite", "{\"user_id\": \"" + bobId + "\"}",
                alice).status());
    }

    private static List<String> bodies(JsonNode room) {
        List<String> bodies = new ArrayList<>();
        room.path("timeline").path("events").forEach(event -> {
            if (event.path("type").asText().equals("m.room.message")) {
                bodies.add(event.path("content").path("body").asText());
            }
        });
        return bodies;
    }

    private static List<String> types(JsonNode room) {
        List<String> types = new ArrayList<>();
        room.path("timeline").path("events").forEach(event -> types.add(event.path("type").asText()));
        return types;
    }

    @Test
    void initialSyncHidesEventsBeforeJoinWhenVisibilityIsJoined() {
        String roomId = room("joined");
        for (int i = 0; i < 12; i++) {
            node.sendText(roomId, alice, "t" + i, "before bob " + i);
        }
        membership(roomId, "join", bob);
        node.sendText(roomId, alice, "after", "after bob");

        JsonNode joined = sync(bob, "").path("rooms").path("join").path(roomId);

        assertEquals(List.of("after bob"), bodies(joined));
        assertEquals(List.of("m.room.member", "m.room.message"), types(joined), "the timeline starts at the join");
        assertTrue(joined.path("timeline").path("limited").asBoolean(), "earlier events exist, hidden or not");
        // The state is the one before the first event shown: the room as it was when Bob joined.
        List<String> stateTypes = new ArrayList<>();
        joined.path("state").path("events").forEach(event -> stateTypes.add(event.path("type").asText()));
        assertTrue(stateTypes.contains("m.room.create"), stateTypes.toString());
    }

    @Test
    void initialSyncShowsSharedHistoryFromBeforeTheJoin() {
        String roomId = room("shared");
        node.sendText(roomId, alice, "t1", "before bob");
        membership(roomId, "join", bob);

        assertEquals(List.of("before bob"), bodies(sync(bob, "").path("rooms").path("join").path(roomId)));
    }

    @Test
    void invitedVisibilityShowsEventsFromTheInviteOnButNotBefore() {
        String roomId = room("invited");
        node.sendText(roomId, alice, "t1", "before invite");
        invite(roomId);
        node.sendText(roomId, alice, "t2", "while invited");
        membership(roomId, "join", bob);

        assertEquals(List.of("while invited"), bodies(sync(bob, "").path("rooms").path("join").path(roomId)));
    }

    @Test
    void incrementalSyncAfterAJoinHidesTheEventsBeforeIt() {
        String roomId = room("joined");
        invite(roomId);
        String since = sync(bob, "").path("next_batch").asText();
        node.sendText(roomId, alice, "t1", "while invited");
        membership(roomId, "join", bob);
        node.sendText(roomId, alice, "t2", "after bob");

        JsonNode joined = sync(bob, "?since=" + since).path("rooms").path("join").path(roomId);

        assertEquals(List.of("after bob"), bodies(joined));
    }

    @Test
    void aLeftRoomShowsEventsUpToTheLeaveAndNothingBeforeTheJoin() {
        String roomId = room("joined");
        node.sendText(roomId, alice, "t1", "before bob");
        membership(roomId, "join", bob);
        node.sendText(roomId, alice, "t2", "with bob");
        membership(roomId, "leave", bob);
        node.sendText(roomId, alice, "t3", "after bob");

        JsonNode left = sync(bob, "?filter=" + RoomsTestNode.encode("{\"room\": {\"include_leave\": true}}"))
                .path("rooms").path("leave").path(roomId);

        assertEquals(List.of("with bob"), bodies(left));
        List<String> types = types(left);
        assertEquals("m.room.member", types.get(types.size() - 1), "the timeline ends at the leave");
    }

    @Test
    void worldReadableHistoryIsShownFromBeforeTheJoin() {
        String roomId = room("world_readable");
        node.sendText(roomId, alice, "t1", "for everyone");
        membership(roomId, "join", bob);

        assertEquals(List.of("for everyone"), bodies(sync(bob, "").path("rooms").path("join").path(roomId)));
    }
}
