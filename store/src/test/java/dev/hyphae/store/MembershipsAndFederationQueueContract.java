package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: current memberships and the durable federation queue. */
public interface MembershipsAndFederationQueueContract extends StoreFixture {
    @Test
    default void currentMembershipIsReplacedAndListedByUserAndByRoom() {
        createRoom(ROOM);
        createRoom("!other:x");
        write(tx -> {
            for (String id : List.of("$invite", "$join", "$bob", "$other")) {
                tx.events().insert(event(id));
            }
            tx.memberships().set(new Membership(ROOM, ALICE, "invite", "$invite"));
            tx.memberships().set(new Membership(ROOM, ALICE, "join", "$join"));
            tx.memberships().set(new Membership(ROOM, "@bob:x", "leave", "$bob"));
            tx.memberships().set(new Membership("!other:x", ALICE, "ban", "$other"));
            return null;
        });
        assertEquals(Optional.of(new Membership(ROOM, ALICE, "join", "$join")),
                store().read(tx -> tx.memberships().get(ROOM, ALICE)));
        assertEquals(List.of(new Membership("!other:x", ALICE, "ban", "$other"), new Membership(ROOM, ALICE, "join", "$join")),
                store().read(tx -> tx.memberships().forUser(ALICE)));
        assertEquals(List.of("@alice:example.onion", "@bob:x"),
                store().read(tx -> tx.memberships().inRoom(ROOM)).stream().map(Membership::userId).toList());
        assertThrows(IllegalArgumentException.class, () -> new Membership(ROOM, ALICE, "joined", "$join"));
        assertInstanceOf(StoreException.class, failureOf(store().write(tx -> {
            tx.memberships().set(new Membership(ROOM, ALICE, "leave", "$not-stored"));
            return null;
        })));
    }

    @Test
    default void federationQueueKeepsOrderPerDestinationUntilRemoved() {
        List<Long> ids = write(tx -> List.of(
                tx.federationQueue().enqueue("a.onion", QueuedItem.Kind.PDU, "{\"n\":1}", 1L),
                tx.federationQueue().enqueue("b.onion", QueuedItem.Kind.EDU, "{\"n\":2}", 2L),
                tx.federationQueue().enqueue("a.onion", QueuedItem.Kind.EDU, "{\"n\":3}", 3L)));
        assertEquals(Set.of("a.onion", "b.onion"), store().read(tx -> tx.federationQueue().destinationsWithPending()));
        List<QueuedItem> pending = store().read(tx -> tx.federationQueue().pending("a.onion", 10));
        assertEquals(List.of(new QueuedItem(ids.get(0), "a.onion", QueuedItem.Kind.PDU, "{\"n\":1}", 1L),
                new QueuedItem(ids.get(2), "a.onion", QueuedItem.Kind.EDU, "{\"n\":3}", 3L)), pending);
        assertEquals(1, store().read(tx -> tx.federationQueue().pending("a.onion", 1)).size());
        assertEquals(Integer.valueOf(2), store().read(tx -> tx.federationQueue().count("a.onion")));
        assertEquals(Integer.valueOf(0), store().read(tx -> tx.federationQueue().count("c.onion")));

        assertEquals(2, writeCount(tx -> tx.federationQueue().remove(List.of(ids.get(0), ids.get(2), 999L))));
        assertEquals(Set.of("b.onion"), store().read(tx -> tx.federationQueue().destinationsWithPending()));
        reopenStore();
        assertEquals(1, store().read(tx -> tx.federationQueue().pending("b.onion", 10)).size());
    }

    @Test
    default void destinationBackoffCountsFailuresUntilASuccess() {
        assertTrue(store().read(tx -> tx.federationQueue().backoff("a.onion")).isEmpty());
        assertEquals(new DestinationBackoff("a.onion", 1, 100L),
                write(tx -> tx.federationQueue().recordFailure("a.onion", 100L)));
        assertEquals(new DestinationBackoff("a.onion", 2, 300L),
                write(tx -> tx.federationQueue().recordFailure("a.onion", 300L)));
        assertEquals(Optional.of(new DestinationBackoff("a.onion", 2, 300L)),
                store().read(tx -> tx.federationQueue().backoff("a.onion")));
        write(tx -> {
            tx.federationQueue().recordSuccess("a.onion");
            return null;
        });
        assertTrue(store().read(tx -> tx.federationQueue().backoff("a.onion")).isEmpty());
    }

    @Test
    default void receivedTransactionIsRecordedOncePerOriginAndSurvivesReopening() {
        assertEquals(Optional.empty(), store().read(tx -> tx.receivedTransactions().response("a.onion", "t1")));
        assertTrue(store().write(tx -> tx.receivedTransactions().record("a.onion", "t1", "{\"pdus\":{}}", 1L)).join());
        assertEquals(false, store().write(tx -> tx.receivedTransactions().record("a.onion", "t1", "{}", 2L)).join());
        assertTrue(store().write(tx -> tx.receivedTransactions().record("b.onion", "t1", "{}", 3L)).join());
        reopenStore();
        assertEquals(Optional.of("{\"pdus\":{}}"), store().read(tx -> tx.receivedTransactions().response("a.onion", "t1")));
        assertEquals(Optional.of("{}"), store().read(tx -> tx.receivedTransactions().response("b.onion", "t1")));
    }
}
