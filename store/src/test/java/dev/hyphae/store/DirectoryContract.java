package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: room aliases, published rooms, content reports and forgotten rooms, kept across restarts. */
public interface DirectoryContract extends StoreFixture {
    String OTHER_ROOM = "!other:example.onion";

    @Test
    default void anAliasIsStoredOnceAndTheSecondInsertChangesNothing() {
        StoredRoomAlias first = new StoredRoomAlias("#a:example.onion", ROOM, ALICE, 5);
        assertTrue(writeFlag(tx -> tx.roomAliases().insert(first)));
        assertFalse(writeFlag(tx -> tx.roomAliases().insert(
                new StoredRoomAlias("#a:example.onion", OTHER_ROOM, "@bob:example.onion", 6))));
        reopenStore();
        assertEquals(Optional.of(first), store().read(tx -> tx.roomAliases().get("#a:example.onion")));
        assertTrue(store().read(tx -> tx.roomAliases().get("#b:example.onion")).isEmpty());
    }

    @Test
    default void theAliasesOfARoomAreListedInOrderAndDeletedOneByOne() {
        StoredRoomAlias b = new StoredRoomAlias("#b:example.onion", ROOM, ALICE, 1);
        StoredRoomAlias a = new StoredRoomAlias("#a:example.onion", ROOM, ALICE, 2);
        write(tx -> tx.roomAliases().insert(b) && tx.roomAliases().insert(a)
                && tx.roomAliases().insert(new StoredRoomAlias("#c:example.onion", OTHER_ROOM, ALICE, 3)));
        assertEquals(List.of(a, b), store().read(tx -> tx.roomAliases().forRoom(ROOM)));
        assertTrue(writeFlag(tx -> tx.roomAliases().delete("#a:example.onion")));
        assertFalse(writeFlag(tx -> tx.roomAliases().delete("#a:example.onion")));
        assertEquals(List.of(b), store().read(tx -> tx.roomAliases().forRoom(ROOM)));
    }

    @Test
    default void aRoomIsPublishedUntilItIsUnpublished() {
        write(tx -> {
            tx.publishedRooms().setPublished(ROOM, true, 1);
            tx.publishedRooms().setPublished(ROOM, true, 2);
            tx.publishedRooms().setPublished(OTHER_ROOM, true, 3);
            return null;
        });
        reopenStore();
        assertTrue(readFlag(tx -> tx.publishedRooms().isPublished(ROOM)));
        assertEquals(List.of(OTHER_ROOM, ROOM), store().read(tx -> tx.publishedRooms().all()));
        write(tx -> {
            tx.publishedRooms().setPublished(ROOM, false, 4);
            tx.publishedRooms().setPublished("!never:example.onion", false, 4);
            return null;
        });
        assertFalse(readFlag(tx -> tx.publishedRooms().isPublished(ROOM)));
        assertEquals(List.of(OTHER_ROOM), store().read(tx -> tx.publishedRooms().all()));
    }

    @Test
    default void reportsAreKeptInOrderWithTheirIds() {
        long room = write(tx -> tx.contentReports().insert(ContentReport.ofRoom(ALICE, ROOM, "spam", 10)));
        long event = write(tx -> tx.contentReports().insert(ContentReport.ofEvent(ALICE, ROOM, "$e", "", 11)));
        long user = write(tx -> tx.contentReports().insert(ContentReport.ofUser(ALICE, "@bob:x.onion", "rude", 12)));
        assertTrue(room < event && event < user);
        reopenStore();
        assertEquals(List.of(
                new ContentReport(room, ALICE, Optional.of(ROOM), Optional.empty(), Optional.empty(), "spam", 10),
                new ContentReport(event, ALICE, Optional.of(ROOM), Optional.of("$e"), Optional.empty(), "", 11),
                new ContentReport(user, ALICE, Optional.empty(), Optional.empty(), Optional.of("@bob:x.onion"),
                        "rude", 12)),
                store().read(tx -> tx.contentReports().all()));
    }

    @Test
    default void aReportWithoutRoomOrUserCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ContentReport(0, ALICE, Optional.empty(),
                Optional.empty(), Optional.empty(), "", 1));
        assertThrows(IllegalArgumentException.class, () -> new ContentReport(0, ALICE, Optional.empty(),
                Optional.of("$e"), Optional.of("@bob:x.onion"), "", 1));
        assertThrows(IllegalArgumentException.class, () -> new StoredRoomAlias("a:example.onion", ROOM, ALICE, 1));
    }

    @Test
    default void aForgottenRoomRemembersTheMembershipItWasForgottenAt() {
        assertTrue(store().read(tx -> tx.forgottenRooms().forgottenAt(ALICE, ROOM)).isEmpty());
        write(tx -> {
            tx.forgottenRooms().forget(ALICE, ROOM, "$leave1");
            return null;
        });
        write(tx -> {
            tx.forgottenRooms().forget(ALICE, ROOM, "$leave2");
            return null;
        });
        reopenStore();
        assertEquals(Optional.of("$leave2"), store().read(tx -> tx.forgottenRooms().forgottenAt(ALICE, ROOM)));
        assertTrue(store().read(tx -> tx.forgottenRooms().forgottenAt("@bob:example.onion", ROOM)).isEmpty());
    }
}
