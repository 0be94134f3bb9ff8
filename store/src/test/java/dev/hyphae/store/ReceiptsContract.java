package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: read receipts, one per (room, type, user, thread), on their own stream. */
public interface ReceiptsContract extends StoreFixture {
    String BOB = "@bob:example.onion";

    @Test
    default void aReceiptIsReplacedPerTypeUserAndThreadAndSurvivesReopening() {
        assertEquals(0L, (long) store().read(tx -> tx.receipts().currentPosition()));
        long first = write(tx -> tx.receipts().put(ROOM, "m.read", ALICE, null, "$a", 10));
        long second = write(tx -> tx.receipts().put(ROOM, "m.read", ALICE, null, "$b", 20));
        long threaded = write(tx -> tx.receipts().put(ROOM, "m.read", ALICE, "$root", "$c", 30));
        long main = write(tx -> tx.receipts().put(ROOM, "m.read", ALICE, "main", "$d", 40));
        long privately = write(tx -> tx.receipts().put(ROOM, "m.read.private", ALICE, null, "$e", 50));
        assertTrue(first < second && second < threaded && threaded < main && main < privately);
        reopenStore();
        assertEquals(Optional.of(new StoredReceipt(ROOM, "m.read", ALICE, null, "$b", 20, second)),
                store().read(tx -> tx.receipts().get(ROOM, "m.read", ALICE, null)));
        assertEquals("$c", store().read(tx -> tx.receipts().get(ROOM, "m.read", ALICE, "$root")).orElseThrow().eventId());
        assertEquals("$d", store().read(tx -> tx.receipts().get(ROOM, "m.read", ALICE, "main")).orElseThrow().eventId());
        assertEquals(4, store().read(tx -> tx.receipts().ofUser(ROOM, ALICE)).size());
        assertEquals(privately, (long) store().read(tx -> tx.receipts().currentPosition()));
    }

    @Test
    default void changesBetweenTwoPositionsAreTheReceiptsLastChangedThere() {
        long a = write(tx -> tx.receipts().put(ROOM, "m.read", ALICE, null, "$a", 1));
        long b = write(tx -> tx.receipts().put(ROOM, "m.read", BOB, null, "$a", 2));
        long c = write(tx -> tx.receipts().put("!other:example.onion", "m.read", BOB, null, "$x", 3));
        long a2 = write(tx -> tx.receipts().put(ROOM, "m.read", ALICE, null, "$b", 4));
        List<StoredReceipt> changed = store().read(tx -> tx.receipts().changedBetween(a, c));
        assertEquals(List.of(b, c), changed.stream().map(StoredReceipt::streamPosition).toList());
        List<StoredReceipt> all = store().read(tx -> tx.receipts().changedBetween(0, a2));
        assertEquals(List.of(b, c, a2), all.stream().map(StoredReceipt::streamPosition).toList());
        assertEquals(List.of(BOB, ALICE), store().read(tx -> tx.receipts().inRoom(ROOM)).stream()
                .map(StoredReceipt::userId).toList());
    }

    @Test
    default void anEmptyThreadIdIsRefused() {
        assertInstanceOf(IllegalArgumentException.class,
                failureOf(store().write(tx -> tx.receipts().put(ROOM, "m.read", ALICE, "", "$a", 1))));
        assertEquals(0L, (long) store().read(tx -> tx.receipts().currentPosition()));
    }
}
