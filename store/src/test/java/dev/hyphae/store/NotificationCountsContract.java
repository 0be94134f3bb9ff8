package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: unread notification counts per (user, room, thread), forgotten by receipts and push rule changes. */
public interface NotificationCountsContract extends StoreFixture {
    String COUNTED = "@counted:example.onion";
    String OTHER_ROOM = "!other:example.onion";

    private static NotificationCounts.Count count(long notifications, long highlights) {
        return new NotificationCounts.Count(notifications, highlights);
    }

    @Test
    default void addingCountsOnlyInRoomsCountedForTheUserAndSurvivesReopening() {
        assertFalse(writeFlag(tx -> tx.notificationCounts().add(COUNTED, ROOM, NotificationCounts.MAIN, count(1, 0))));
        assertTrue(store().read(tx -> tx.notificationCounts().ofUser(COUNTED)).isEmpty());

        write(tx -> {
            tx.notificationCounts().replace(COUNTED, ROOM, Map.of());
            tx.notificationCounts().replace(COUNTED, OTHER_ROOM, Map.of("$thread", count(2, 1)));
            return null;
        });
        assertTrue(writeFlag(tx -> tx.notificationCounts().add(COUNTED, ROOM, NotificationCounts.MAIN, count(1, 0))));
        assertTrue(writeFlag(tx -> tx.notificationCounts().add(COUNTED, ROOM, NotificationCounts.MAIN, count(1, 1))));
        assertTrue(writeFlag(tx -> tx.notificationCounts().add(COUNTED, ROOM, "$root", count(1, 0))));
        reopenStore();

        assertEquals(Map.of(
                        ROOM, Map.of(NotificationCounts.MAIN, count(2, 1), "$root", count(1, 0)),
                        OTHER_ROOM, Map.of(NotificationCounts.MAIN, count(0, 0), "$thread", count(2, 1))),
                store().read(tx -> tx.notificationCounts().ofUser(COUNTED)));
        assertEquals(List.of(COUNTED), store().read(tx -> tx.notificationCounts().countedUsers(ROOM)));
        assertEquals(List.of(), store().read(tx -> tx.notificationCounts().countedUsers("!none:example.onion")));
    }

    @Test
    default void countsGrowPastAThousandAndAreReplacedAsAWhole() {
        write(tx -> {
            tx.notificationCounts().replace(COUNTED, ROOM, Map.of(NotificationCounts.MAIN, count(1_000, 3)));
            return null;
        });
        write(tx -> {
            for (int i = 0; i < 1_500; i++) {
                tx.notificationCounts().add(COUNTED, ROOM, NotificationCounts.MAIN, count(1, 0));
            }
            return null;
        });
        assertEquals(count(2_500, 3),
                store().read(tx -> tx.notificationCounts().ofUser(COUNTED)).get(ROOM).get(NotificationCounts.MAIN));
        write(tx -> {
            tx.notificationCounts().replace(COUNTED, ROOM, Map.of("$root", count(4, 0)));
            return null;
        });
        assertEquals(Map.of(NotificationCounts.MAIN, count(0, 0), "$root", count(4, 0)),
                store().read(tx -> tx.notificationCounts().ofUser(COUNTED)).get(ROOM));
    }

    @Test
    default void aReadReceiptForgetsTheUsersCountsOfThatRoomOnly() {
        write(tx -> {
            tx.notificationCounts().replace(COUNTED, ROOM, Map.of(NotificationCounts.MAIN, count(5, 1)));
            tx.notificationCounts().replace(COUNTED, OTHER_ROOM, Map.of(NotificationCounts.MAIN, count(2, 0)));
            tx.notificationCounts().replace(ALICE, ROOM, Map.of(NotificationCounts.MAIN, count(7, 0)));
            return null;
        });
        write(tx -> tx.receipts().put(ROOM, "m.fully_read", COUNTED, null, "$a", 1));
        assertEquals(2, store().read(tx -> tx.notificationCounts().ofUser(COUNTED)).size());

        write(tx -> tx.receipts().put(ROOM, "m.read", COUNTED, null, "$a", 2));
        assertEquals(Map.of(OTHER_ROOM, Map.of(NotificationCounts.MAIN, count(2, 0))),
                store().read(tx -> tx.notificationCounts().ofUser(COUNTED)));
        assertEquals(List.of(ALICE), store().read(tx -> tx.notificationCounts().countedUsers(ROOM)));

        // A receipt replaced (the same type, user and thread) forgets them as well.
        write(tx -> {
            tx.notificationCounts().replace(COUNTED, ROOM, Map.of(NotificationCounts.MAIN, count(1, 0)));
            return null;
        });
        write(tx -> tx.receipts().put(ROOM, "m.read.private", COUNTED, "$root", "$b", 3));
        write(tx -> {
            tx.notificationCounts().replace(COUNTED, ROOM, Map.of(NotificationCounts.MAIN, count(1, 0)));
            return null;
        });
        write(tx -> tx.receipts().put(ROOM, "m.read.private", COUNTED, "$root", "$c", 4));
        assertFalse(store().read(tx -> tx.notificationCounts().ofUser(COUNTED)).containsKey(ROOM));

        write(tx -> {
            tx.notificationCounts().forget(ALICE, ROOM);
            return null;
        });
        assertTrue(store().read(tx -> tx.notificationCounts().ofUser(ALICE)).isEmpty());
    }

    @Test
    default void aPushRuleChangeForgetsAllTheUsersCounts() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, null, 1L, false, false));
            tx.notificationCounts().replace(ALICE, ROOM, Map.of(NotificationCounts.MAIN, count(5, 1)));
            tx.notificationCounts().replace(ALICE, OTHER_ROOM, Map.of());
            tx.notificationCounts().replace(COUNTED, ROOM, Map.of());
            return null;
        });
        write(tx -> {
            tx.pushRules().put(new StoredPushRule(ALICE, "content", "a", 0, true, "{}"));
            return null;
        });
        assertTrue(store().read(tx -> tx.notificationCounts().ofUser(ALICE)).isEmpty());
        assertEquals(List.of(COUNTED), store().read(tx -> tx.notificationCounts().countedUsers(ROOM)));

        write(tx -> {
            tx.notificationCounts().replace(ALICE, ROOM, Map.of());
            return null;
        });
        write(tx -> {
            tx.pushRules().put(new StoredPushRule(ALICE, "content", "a", 0, false, "{}"));
            return null;
        });
        assertTrue(store().read(tx -> tx.notificationCounts().ofUser(ALICE)).isEmpty());

        write(tx -> {
            tx.notificationCounts().replace(ALICE, ROOM, Map.of());
            return null;
        });
        assertTrue(writeFlag(tx -> tx.pushRules().delete(ALICE, "content", "a")));
        assertTrue(store().read(tx -> tx.notificationCounts().ofUser(ALICE)).isEmpty());
    }
}
