package dev.hyphae.node.federation.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hyphae.node.roomserver.CreateRoomRequest;
import dev.hyphae.node.unread.NotificationCounter;
import dev.hyphae.store.NotificationCounts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events received from another server add to local users' unread counts as they are stored. */
class RemoteNotificationCountsTest {
    @TempDir
    Path dir;

    private final TestFederation network = new TestFederation();
    private FederatedTestNode a;
    private FederatedTestNode b;

    @BeforeEach
    void startNodes() {
        a = new FederatedTestNode(dir.resolve("a"), 1, network);
        b = new FederatedTestNode(dir.resolve("b"), 2, network);
    }

    @AfterEach
    void stopNodes() {
        a.close();
        b.close();
    }

    @Test
    void aMessageFromAnotherServerCountsForTheLocalMemberOnceItIsStored() {
        String alice = a.user("alice");
        String bob = b.user("bob");
        NotificationCounter counter = new NotificationCounter(a.store, a.queries);
        a.notifier.addStoredEventListener(counter);
        String roomId = a.creator.createRoom(CreateRoomRequest.defaults(alice));
        a.memberships.invite(roomId, alice, bob, null, false);
        b.memberships.join(roomId, bob, null, List.of());
        assertEquals(NotificationCounts.Count.ZERO,
                counter.counts(alice, List.of(roomId)).get(roomId).get(NotificationCounts.MAIN));

        String first = b.sendText(roomId, bob, "one");
        String second = b.sendText(roomId, bob, "two");
        b.push(a, first, second);

        assertEquals(new NotificationCounts.Count(2, 0),
                counter.counts(alice, List.of(roomId)).get(roomId).get(NotificationCounts.MAIN));
        // Kept as data: the room was not counted again, the stored count grew as the events arrived.
        assertEquals(new NotificationCounts.Count(2, 0), a.store.read(tx -> tx.notificationCounts().ofUser(alice))
                .get(roomId).get(NotificationCounts.MAIN));
    }
}
