package dev.hyphae.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Contract: mailbox recipients, envelopes, replay marks, records and usage. */
public interface MailboxesContract extends StoreFixture {
    String BOB = "bob.onion";
    String CAROL = "carol.onion";

    private static byte[] bytes(int value, int length) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    default void envelopesComeBackOldestFirstPerRecipientAndSurviveReopening() {
        assertTrue(writeFlag(tx -> tx.mailboxes().addRecipient(BOB, 1)));
        assertFalse(writeFlag(tx -> tx.mailboxes().addRecipient(BOB, 2)));
        assertTrue(writeFlag(tx -> tx.mailboxes().deposit(BOB, bytes(1, 32), bytes(11, 100), 5_000)));
        assertTrue(writeFlag(tx -> tx.mailboxes().deposit(CAROL, bytes(2, 32), bytes(12, 50), 5_000)));
        assertTrue(writeFlag(tx -> tx.mailboxes().deposit(BOB, bytes(3, 32), bytes(13, 70), 6_000)));
        reopenStore();
        assertTrue(readFlag(tx -> tx.mailboxes().isRecipient(BOB)));
        assertFalse(readFlag(tx -> tx.mailboxes().isRecipient(CAROL)));
        assertEquals(1, (int) store().read(tx -> tx.mailboxes().recipientCount()));
        List<MailboxEnvelope> bob = store().read(tx -> tx.mailboxes().envelopes(BOB, 10));
        assertEquals(2, bob.size());
        assertArrayEquals(bytes(1, 32), bob.get(0).envelopeId());
        assertArrayEquals(bytes(13, 70), bob.get(1).body());
        assertEquals(2L, (long) store().read(tx -> tx.mailboxes().envelopeCount(BOB)));
        assertEquals(170L, (long) store().read(tx -> tx.mailboxes().envelopeBytes(BOB)));
        assertEquals(3L, (long) store().read(tx -> tx.mailboxes().totalEnvelopes()));
        assertEquals(1, store().read(tx -> tx.mailboxes().envelopes(BOB, 1)).size());
    }

    @Test
    default void pendingDeletionsSurviveReopeningPerMailboxOldestFirstUntilRemoved() {
        write(tx -> {
            tx.mailboxes().addPendingDeletion("box-a", bytes(1, 32));
            tx.mailboxes().addPendingDeletion("box-b", bytes(2, 32));
            tx.mailboxes().addPendingDeletion("box-a", bytes(3, 32));
            tx.mailboxes().addPendingDeletion("box-a", bytes(1, 32));
            return null;
        });
        reopenStore();
        List<byte[]> boxA = store().read(tx -> tx.mailboxes().pendingDeletions("box-a", 10));
        assertEquals(2, boxA.size());
        assertArrayEquals(bytes(1, 32), boxA.get(0));
        assertArrayEquals(bytes(3, 32), boxA.get(1));
        assertEquals(1, store().read(tx -> tx.mailboxes().pendingDeletions("box-a", 1)).size());
        assertEquals(1, writeCount(tx -> tx.mailboxes().removePendingDeletions("box-a", List.of(bytes(1, 32), bytes(2, 32)))));
        boxA = store().read(tx -> tx.mailboxes().pendingDeletions("box-a", 10));
        assertEquals(1, boxA.size());
        assertArrayEquals(bytes(3, 32), boxA.get(0));
        assertEquals(1, store().read(tx -> tx.mailboxes().pendingDeletions("box-b", 10)).size());
    }

    @Test
    default void aSecondEnvelopeWithTheSameIdIsNotStored() {
        assertTrue(writeFlag(tx -> tx.mailboxes().deposit(BOB, bytes(1, 32), bytes(11, 10), 5_000)));
        assertFalse(writeFlag(tx -> tx.mailboxes().deposit(BOB, bytes(1, 32), bytes(12, 10), 5_000)));
        assertEquals(1L, (long) store().read(tx -> tx.mailboxes().envelopeCount(BOB)));
    }

    @Test
    default void deletingTakesOnlyTheRecipientsOwnEnvelopes() {
        write(tx -> tx.mailboxes().deposit(BOB, bytes(1, 32), bytes(11, 10), 5_000));
        write(tx -> tx.mailboxes().deposit(CAROL, bytes(2, 32), bytes(12, 10), 5_000));
        assertEquals(0, writeCount(tx -> tx.mailboxes().delete(BOB, List.of(bytes(2, 32)))));
        assertEquals(1, writeCount(tx -> tx.mailboxes().delete(BOB, List.of(bytes(1, 32), bytes(9, 32)))));
        assertEquals(0L, (long) store().read(tx -> tx.mailboxes().envelopeCount(BOB)));
        assertEquals(1L, (long) store().read(tx -> tx.mailboxes().envelopeCount(CAROL)));
    }

    @Test
    default void expiredEnvelopesAndReplayMarksAreDeleted() {
        write(tx -> tx.mailboxes().deposit(BOB, bytes(1, 32), bytes(11, 10), 5_000));
        write(tx -> tx.mailboxes().deposit(BOB, bytes(2, 32), bytes(12, 10), 9_000));
        assertTrue(writeFlag(tx -> tx.mailboxes().markSeen(bytes(7, 32), 5_000, 1_000)));
        assertFalse(writeFlag(tx -> tx.mailboxes().markSeen(bytes(7, 32), 5_000, 1_000)));
        assertTrue(readFlag(tx -> tx.mailboxes().seen(bytes(7, 32), 4_999)));
        assertFalse(readFlag(tx -> tx.mailboxes().seen(bytes(7, 32), 5_000)));
        assertEquals(2, writeCount(tx -> tx.mailboxes().deleteExpired(5_000)));
        assertEquals(1L, (long) store().read(tx -> tx.mailboxes().envelopeCount(BOB)));
        assertTrue(writeFlag(tx -> tx.mailboxes().markSeen(bytes(7, 32), 9_000, 6_000)));
    }

    @Test
    default void recordsAreReplacedAndUsageIsCounted() {
        write(tx -> {
            tx.mailboxes().putRecord(BOB, "{\"a\":1}", 10);
            tx.mailboxes().putRecord(BOB, "{\"a\":2}", 20);
            tx.mailboxes().recordDeposit("m.onion", 30, Optional.empty());
            tx.mailboxes().recordDeposit("m.onion", 40, Optional.empty());
            tx.mailboxes().recordFetch("m.onion", 50, 3, 4, Optional.empty());
            tx.mailboxes().recordFetch("n.onion", 60, 0, 0, Optional.of("unreachable"));
            return null;
        });
        assertEquals(Optional.of("{\"a\":2}"), store().read(tx -> tx.mailboxes().record(BOB)));
        assertEquals(20L, (long) store().read(tx -> tx.mailboxes().recordFetchedTs(BOB)));
        assertEquals(0L, (long) store().read(tx -> tx.mailboxes().recordFetchedTs(CAROL)));
        assertEquals(List.of(new MailboxUsage("m.onion", 50, 4, 3, 2, 40, Optional.empty()),
                new MailboxUsage("n.onion", 0, 0, 0, 0, 0, Optional.of("unreachable"))),
                store().read(tx -> tx.mailboxes().usage()));
    }
}
