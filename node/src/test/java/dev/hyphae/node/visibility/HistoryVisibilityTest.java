package dev.hyphae.node.visibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.node.client.RoomsTestNode;
import dev.hyphae.node.roomserver.RoomEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryVisibilityTest {
    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private HistoryVisibility visibility;
    private String alice;
    private String bob;
    private String bobId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        visibility = new HistoryVisibility(node.queries);
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

    private RoomEvent event(String eventId) {
        return node.queries.event(eventId).orElseThrow();
    }

    private void membership(String roomId, String action, String token) {
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/" + action, "{}", token).status());
    }

    @Test
    void sharedHistoryStaysVisibleToAUserWhoJoinedAfterItAndLeftButNotWhatCameAfterTheLeave() {
        String roomId = room("shared");
        String before = node.sendText(roomId, alice, "t1", "before bob");
        assertFalse(visibility.maySee(bobId, event(before)), "never a member");
        membership(roomId, "join", bob);
        membership(roomId, "leave", bob);
        String after = node.sendText(roomId, alice, "t2", "after bob left");

        assertTrue(visibility.maySee(bobId, event(before)));
        assertFalse(visibility.maySee(bobId, event(after)));
    }

    @Test
    void invitedHistoryStartsAtTheInviteAndJoinedHistoryAtTheJoin() {
        for (String setting : List.of("invited", "joined")) {
            String roomId = room(setting);
            assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/invite", "{\"user_id\": \"" + bobId + "\"}",
                    alice).status());
            String whileInvited = node.sendText(roomId, alice, "i-" + setting, "while invited");
            membership(roomId, "join", bob);
            String whileJoined = node.sendText(roomId, alice, "j-" + setting, "while joined");

            assertEquals(setting.equals("invited"), visibility.maySee(bobId, event(whileInvited)), setting);
            assertTrue(visibility.maySee(bobId, event(whileJoined)), setting);
        }
    }

    @Test
    void visibleKeepsTheOrderAndDropsHiddenRejectedAndOtherRoomsEvents() {
        String roomId = room("joined");
        String hidden = node.sendText(roomId, alice, "t1", "hidden");
        membership(roomId, "join", bob);
        String first = node.sendText(roomId, alice, "t2", "one");
        String second = node.sendText(roomId, alice, "t3", "two");
        String otherRoom = room("world_readable");
        String elsewhere = node.sendText(otherRoom, alice, "t4", "elsewhere");
        RoomEvent rejected = new RoomEvent(event(second).pdu(), event(second).streamOrdering(), false, "rejected");

        List<RoomEvent> visible = visibility.visible(bobId, roomId,
                List.of(event(second), event(hidden), event(first), rejected, event(elsewhere)));

        assertEquals(List.of(second, first), visible.stream().map(RoomEvent::eventId).toList());
    }

    @Test
    void worldReadableHistoryIsVisibleToAUserWhoWasNeverInTheRoom() {
        String roomId = room("world_readable");
        String message = node.sendText(roomId, alice, "t1", "for everyone");

        assertTrue(visibility.maySee(bobId, event(message)));
    }
}
