package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyphae.store.ContentReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports of rooms, events and users, stored for the node's owner. */
class ReportEndpointsTest {
    @TempDir
    Path dataDir;

    private RoomsTestNode node;
    private String alice;
    private String bob;
    private String roomId;

    @BeforeEach
    void start() {
        node = new RoomsTestNode(dataDir);
        alice = node.userWithToken("alice", "pw");
        bob = node.userWithToken("bob", "pw");
        roomId = node.createRoom(alice, "{}");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private List<ContentReport> reports() {
        return node.store.read(tx -> tx.contentReports().all());
    }

    @Test
    void reportsOfAnEventARoomAndAUserAreStored() {
        String eventId = node.sendText(roomId, alice, "t1", "rude words");
        String bobId = node.userId("bob");

        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/report/" + RoomsTestNode.encode(eventId),
                "{\"reason\": \"rude\"}", alice).status());
        assertEquals(200, node.post(RoomsTestNode.room(roomId) + "/report", "{\"reason\": \"\"}", bob).status());
        assertEquals(200, node.post("/_matrix/client/v3/users/" + RoomsTestNode.encode(bobId) + "/report",
                "{\"reason\": \"spam\"}", alice).status());

        List<ContentReport> reports = reports();
        assertEquals(3, reports.size());
        assertEquals(Optional.of(eventId), reports.get(0).eventId());
        assertEquals("rude", reports.get(0).reason());
        assertEquals(node.userId("alice"), reports.get(0).reporter());
        assertEquals(Optional.of(roomId), reports.get(1).roomId());
        assertEquals(node.userId("bob"), reports.get(1).reporter());
        assertEquals(Optional.of(bobId), reports.get(2).userId());
    }

    @Test
    void anEventIsReportedOnlyByMembersOfItsRoom() {
        String eventId = node.sendText(roomId, alice, "t1", "hello");
        RoomsTestNode.Reply outsider = node.post(RoomsTestNode.room(roomId) + "/report/" + RoomsTestNode.encode(eventId),
                "{\"reason\": \"x\"}", bob);
        assertEquals(404, outsider.status());
        assertEquals("M_NOT_FOUND", outsider.errcode());
        assertEquals("M_NOT_FOUND", node.post(RoomsTestNode.room(roomId) + "/report/" + RoomsTestNode.encode("$nothing"),
                "{\"reason\": \"x\"}", alice).errcode());
        assertEquals(List.of(), reports());
    }

    @Test
    void unknownRoomsAndLocalUsersAreNotFoundAndAReasonIsRequired() {
        assertEquals("M_NOT_FOUND", node.post(RoomsTestNode.room("!unknown:" + node.identity.serverName()) + "/report",
                "{\"reason\": \"x\"}", alice).errcode());
        assertEquals("M_NOT_FOUND", node.post("/_matrix/client/v3/users/" + RoomsTestNode.encode(node.userId("nobody"))
                + "/report", "{\"reason\": \"x\"}", alice).errcode());
        assertEquals("M_INVALID_PARAM", node.post("/_matrix/client/v3/users/not-a-user/report",
                "{\"reason\": \"x\"}", alice).errcode());
        assertEquals(400, node.post(RoomsTestNode.room(roomId) + "/report", "{}", alice).status());
        assertEquals(List.of(), reports());
    }
}
