package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: units of work are atomic, durable before they are acknowledged, and the schema is versioned. */
public interface TransactionsContract extends StoreFixture {
    /** Queues a unit that holds the writer until the returned latch is counted down. */
    private CountDownLatch holdWriter() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store().write(tx -> {
            holding.countDown();
            return release.await(30, TimeUnit.SECONDS);
        });
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        return release;
    }

    @Test
    default void unitThatThrowsLeavesNothingBehind() {
        CompletableFuture<Object> future = store().write(tx -> {
            tx.rooms().insert(new Room(ROOM, "12", 1L));
            tx.events().insert(event("$a"));
            throw new IllegalStateException("deliberate failure");
        });
        Throwable failure = failureOf(future);
        assertInstanceOf(IllegalStateException.class, failure);
        assertEquals("deliberate failure", failure.getMessage());
        assertTrue(store().read(tx -> tx.rooms().get(ROOM)).isEmpty());
        assertFalse(readFlag(tx -> tx.events().exists("$a")));
    }

    @Test
    default void failingUnitRollsBackAloneWhenQueuedWithOthers() throws Exception {
        CountDownLatch release = holdWriter();
        CompletableFuture<Boolean> first = store().write(tx -> tx.rooms().insert(new Room("!a:x", "12", 1L)));
        CompletableFuture<Boolean> failing = store().write(tx -> {
            tx.rooms().insert(new Room("!b:x", "12", 1L));
            throw new IllegalArgumentException("bad unit");
        });
        CompletableFuture<Boolean> last = store().write(tx -> tx.rooms().insert(new Room("!c:x", "12", 1L)));
        release.countDown();

        assertTrue(first.join());
        assertInstanceOf(IllegalArgumentException.class, failureOf(failing));
        assertTrue(last.join());
        List<String> rooms = store().read(tx -> tx.rooms().all()).stream().map(Room::roomId).toList();
        assertEquals(List.of("!a:x", "!c:x"), rooms);
    }

    @Test
    default void futureCompletesOnlyAfterCommitAndTheDataIsThenReadableOnAFreshConnection() throws Exception {
        createRoom(ROOM);
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<EventInsertion> future = store().write(tx -> {
            EventInsertion insertion = tx.events().insert(event("$a"));
            inserted.countDown();
            assertTrue(release.await(30, TimeUnit.SECONDS));
            return insertion;
        });
        assertTrue(inserted.await(30, TimeUnit.SECONDS));

        assertFalse(future.isDone());
        assertFalse(readFlag(tx -> tx.events().exists("$a")));
        assertTrue(readEventJsonOnFreshConnection("$a").isEmpty());

        release.countDown();
        assertInstanceOf(EventInsertion.Inserted.class, future.join());
        assertEquals(Optional.of("{\"event_id\":\"$a\"}"), readEventJsonOnFreshConnection("$a"));
    }

    @Test
    default void readUnitSeesOneSnapshotEvenWhenAWriteCommitsDuringIt() {
        createRoom(ROOM);
        write(tx -> tx.events().insert(event("$before")));
        List<Integer> counts = store().read(tx -> {
            int first = tx.events().eventsAfter(0, 10).size();
            store().write(w -> w.events().insert(event("$during"))).join();
            int second = tx.events().eventsAfter(0, 10).size();
            return List.of(first, second);
        });
        assertEquals(List.of(1, 1), counts);
        assertEquals(2, store().read(tx -> tx.events().eventsAfter(0, 10)).size());
    }

    @Test
    default void committedWritesSurviveClosingAndReopening() {
        createRoom(ROOM);
        write(tx -> tx.events().insert(event("$a")));
        reopenStore();
        assertEquals("{\"event_id\":\"$a\"}", store().read(tx -> tx.events().get("$a")).orElseThrow().json());
        assertEquals(Optional.of(new Room(ROOM, "12", 1L)), store().read(tx -> tx.rooms().get(ROOM)));
    }

    @Test
    default void closeFinishesEveryWriteQueuedBeforeIt() {
        createRoom(ROOM);
        List<CompletableFuture<EventInsertion>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String eventId = "$queued" + i;
            futures.add(store().write(tx -> tx.events().insert(event(eventId))));
        }
        closeStore();
        futures.forEach(future -> assertInstanceOf(EventInsertion.Inserted.class, future.join()));

        reopenStore();
        assertEquals(100, store().read(tx -> tx.events().eventsAfter(0, 1000)).size());
    }

    @Test
    default void writeAfterCloseIsRefused() {
        closeStore();
        assertThrows(StoreClosedException.class, () -> store().write(tx -> null));
        assertThrows(StoreClosedException.class, () -> store().read(tx -> null));
    }

    @Test
    default void transactionHandleUsedAfterItsUnitReturnedIsRefused() {
        AtomicReference<WriteTransaction> kept = new AtomicReference<>();
        write(tx -> {
            kept.set(tx);
            return null;
        });
        assertThrows(IllegalStateException.class, () -> kept.get().rooms().insert(new Room(ROOM, "12", 1L)));
    }

    @Test
    default void readUnitsCannotWrite() {
        assertThrows(RuntimeException.class, () -> store().read(tx -> {
            ((WriteTransaction) tx).rooms().insert(new Room(ROOM, "12", 1L));
            return null;
        }));
        assertTrue(store().read(tx -> tx.rooms().get(ROOM)).isEmpty());
    }

    @Test
    default void waitingForAnotherWriteInsideAWriteUnitIsRefused() {
        Throwable failure = failureOf(store().write(tx -> store().write(inner -> null)));
        assertInstanceOf(IllegalStateException.class, failure);
    }

    @Test
    default void afterCommitActionsRunAfterCommitAndNeverForFailedUnits() {
        createRoom(ROOM);
        AtomicBoolean visibleWhenNotified = new AtomicBoolean();
        AtomicBoolean failedUnitNotified = new AtomicBoolean();
        write(tx -> {
            tx.events().insert(event("$a"));
            tx.afterCommit(() -> visibleWhenNotified.set(readEventJsonOnFreshConnection("$a").isPresent()));
            return null;
        });
        failureOf(store().write(tx -> {
            tx.afterCommit(() -> failedUnitNotified.set(true));
            throw new IllegalStateException("deliberate failure");
        }));
        assertTrue(visibleWhenNotified.get());
        assertFalse(failedUnitNotified.get());
    }

    @Test
    default void migrationsAreAppliedOnceAndReopeningKeepsVersionAndData() {
        int version = store().schemaVersion();
        assertTrue(version >= 1);
        write(tx -> tx.accounts().create(new Account(ALICE, "hash", 1L, false, false)));
        for (int i = 0; i < 2; i++) {
            reopenStore();
            assertEquals(version, store().schemaVersion());
        }
        assertTrue(readFlag(tx -> tx.accounts().exists(ALICE)));
    }

    @Test
    default void databaseWithANewerSchemaIsRefused() {
        closeStore();
        markSchemaNewerThanCode();
        SchemaTooNewException refused = assertThrows(SchemaTooNewException.class, this::openStore);
        assertTrue(refused.databaseVersion() > refused.supportedVersion());
    }
}
