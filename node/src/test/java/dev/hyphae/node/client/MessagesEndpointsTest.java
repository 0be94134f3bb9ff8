package dev.hyphae.node.client;

import static dev.hyphae.node.client.RoomsTestNode.encode;
import static dev.hyphae.node.client.RoomsTestNode.room;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /rooms/{roomId}/messages} and {@code GET /rooms/{roomId}/event/{eventId}} under history visibility. */
class MessagesEndpointsTest {
    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String roomWithVisibility(String visibility) {
        return node.createRoom(alice, """
                {"preset": "public_chat", "initial_state": [{"type": "m.room.history_visibility", "state_key": "",
                 "content": {"history_visibility": "%s"}}]}""".formatted(visibility));
    }

    private List<String> messages(String roomId, String token, String query) {
        RoomsTestNode.Reply reply = node.get(room(roomId) + "/messages?dir=b&limit=50" + query, token);
        assertEquals(200, reply.status(), reply.body().toString());
        List<String> ids = new ArrayList<>();
        reply.body().get("chunk").forEach(event -> ids.add(event.get("event_id").asText()));
        return ids;
    }

    @Test
    void leftUserReadsMessagesUpToTheirLeave() {
        for (String how : List.of("leave", "kick", "ban")) {
            String roomId = roomWithVisibility("joined");
            String early = node.sendText(roomId, alice, "early-" + how, "before bob");
            assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());
            String during = node.sendText(roomId, alice, "during-" + how, "with bob");
            String bobId = node.userId("bob");
            RoomsTestNode.Reply left = how.equals("leave") ? node.post(room(roomId) + "/leave", "{}", bob)
                    : node.post(room(roomId) + "/" + how, "{\"user_id\": \"" + bobId + "\"}", alice);
            assertEquals(200, left.status(), left.body().toString());
            String leaveEvent = node.queries.memberships(bobId).stream().filter(m -> m.roomId().equals(roomId))
                    .findFirst().orElseThrow().eventId();
            String after = node.sendText(roomId, alice, "after-" + how, "after bob");

            List<String> seen = messages(roomId, bob, "");
            assertEquals(leaveEvent, seen.get(0), how + ": paging starts at the leave " + seen);
            assertTrue(seen.contains(during), how);
            assertFalse(seen.contains(early), how);
            assertFalse(seen.contains(after), how);
            RoomsTestNode.Reply forwards = node.get(room(roomId) + "/messages?dir=f&limit=50", bob);
            List<String> forwardIds = new ArrayList<>();
            forwards.body().get("chunk").forEach(event -> forwardIds.add(event.get("event_id").asText()));
            assertEquals(leaveEvent, forwardIds.get(forwardIds.size() - 1), how);

            assertEquals(200, node.get(room(roomId) + "/event/" + encode(during), bob).status(), how);
            assertEquals(200, node.get(room(roomId) + "/event/" + encode(leaveEvent), bob).status(), how);
            assertEquals("M_NOT_FOUND", node.get(room(roomId) + "/event/" + encode(after), bob).errcode(), how);
            RoomsTestNode.Reply context = node.get(room(roomId) + "/context/" + encode(during) + "?limit=10", bob);
            assertEquals(200, context.status(), context.body().toString());
            List<String> contextAfter = new ArrayList<>();
            context.body().get("events_after").forEach(event -> contextAfter.add(event.get("event_id").asText()));
            assertEquals(List.of(leaveEvent), contextAfter, how);
            assertEquals("M_NOT_FOUND", node.get(room(roomId) + "/context/" + encode(after), bob).errcode(), how);
        }
    }

    @Test
    void aUserWhoNeverJoinedIsForbiddenEvenAfterRejectingAnInvite() {
        String roomId = roomWithVisibility("invited");
        String bobId = node.userId("bob");
        assertEquals(200, node.post(room(roomId) + "/invite", "{\"user_id\": \"" + bobId + "\"}", alice).status());
        String whileInvited = node.sendText(roomId, alice, "invited", "while invited");
        assertEquals(200, node.post(room(roomId) + "/leave", "{}", bob).status());

        assertEquals("M_FORBIDDEN", node.get(room(roomId) + "/messages?dir=b", bob).errcode());
        assertEquals("M_FORBIDDEN", node.get(room(roomId) + "/event/" + encode(whileInvited), bob).errcode());
        assertEquals("M_FORBIDDEN", node.get(room(roomId) + "/context/" + encode(whileInvited), bob).errcode());
    }

    @Test
    void joinedVisibilityHidesWhatWasSentBeforeTheUserJoined() {
        String roomId = roomWithVisibility("joined");
        String early = node.sendText(roomId, alice, "early", "before bob");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());
        String late = node.sendText(roomId, alice, "late", "after bob");

        List<String> seen = messages(roomId, bob, "");
        assertTrue(seen.contains(late), seen.toString());
        assertFalse(seen.contains(early), seen.toString());
        assertTrue(messages(roomId, alice, "").contains(early));
        RoomsTestNode.Reply hidden = node.get(room(roomId) + "/event/" + encode(early), bob);
        assertEquals(404, hidden.status(), hidden.body().toString());
        assertEquals("M_NOT_FOUND", hidden.errcode());
        assertEquals(200, node.get(room(roomId) + "/event/" + encode(late), bob).status());
    }

    @Test
    void sharedVisibilityShowsEarlierHistoryToAMemberWhoJoinedLater() {
        String roomId = roomWithVisibility("shared");
        String early = node.sendText(roomId, alice, "early", "before bob");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());

        assertTrue(messages(roomId, bob, "").contains(early));
        assertEquals(200, node.get(room(roomId) + "/event/" + encode(early), bob).status());
    }

    @Test
    void invitedVisibilityShowsWhatWasSentFromTheInviteOnButNotBefore() {
        String roomId = roomWithVisibility("invited");
        String beforeInvite = node.sendText(roomId, alice, "t1", "before the invite");
        assertEquals(200, node.post(room(roomId) + "/invite", "{\"user_id\": \"" + node.userId("bob") + "\"}",
                alice).status());
        String whileInvited = node.sendText(roomId, alice, "t2", "while bob is invited");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());

        List<String> seen = messages(roomId, bob, "");
        assertTrue(seen.contains(whileInvited), seen.toString());
        assertFalse(seen.contains(beforeInvite), seen.toString());
    }

    @Test
    void worldReadableHistoryIsVisibleWhateverTheMembershipWas() {
        String roomId = roomWithVisibility("world_readable");
        String early = node.sendText(roomId, alice, "early", "before bob");
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());

        assertTrue(messages(roomId, bob, "").contains(early));
    }

    @Test
    void theEndTokenStillContinuesPastAPageOfHiddenEvents() {
        String roomId = roomWithVisibility("joined");
        for (int i = 0; i < 5; i++) {
            node.sendText(roomId, alice, "early" + i, "hidden " + i);
        }
        assertEquals(200, node.post(room(roomId) + "/join", "{}", bob).status());
        for (int i = 0; i < 3; i++) {
            node.sendText(roomId, alice, "late" + i, "seen " + i);
        }

        RoomsTestNode.Reply first = node.get(room(roomId) + "/messages?dir=b&limit=4", bob);
        assertEquals(4, first.body().get("chunk").size(), "bob's join and the three later messages");
        RoomsTestNode.Reply second = node.get(room(roomId) + "/messages?dir=b&limit=4&from="
                + encode(first.body().get("end").asText()), bob);
        assertEquals(200, second.status(), second.body().toString());
        assertEquals(0, second.body().get("chunk").size(), second.body().toString());
        assertTrue(second.body().has("end"), "older events were looked at, so pagination goes on");
    }

    @Test
    void filterAndLimitParametersAreCheckedAsBefore() {
        String roomId = roomWithVisibility("shared");
        assertEquals("M_BAD_JSON", node.get(room(roomId) + "/messages?dir=b&filter=" + encode("[1]"), alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(room(roomId) + "/messages?dir=b&limit=0", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.get(room(roomId) + "/messages?dir=b&limit=x", alice).errcode());
        JsonNode onlyState = node.get(room(roomId) + "/messages?dir=b&filter=" + encode("{\"types\": [\"m.room.create\"]}"),
                alice).body().get("chunk");
        assertEquals(1, onlyState.size(), onlyState.toString());
    }
}
