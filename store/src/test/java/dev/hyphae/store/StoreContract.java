package dev.hyphae.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Store} backend must do. A backend's test extends this class and says how to
 * open its database and how to look at it from outside the store.
 */
public abstract class StoreContract {
    private static final Logger LOG = LoggerFactory.getLogger(StoreContract.class);
    protected static final String ROOM = "!room:example.onion";
    protected static final String ALICE = "@alice:example.onion";

    protected Store store;

    /** Opens the store on this test's database; every call opens the same database. */
    protected abstract Store openStore();

    /** Reads an event's JSON through a new connection that bypasses the store, or empty if absent. */
    protected abstract Optional<String> readEventJsonOnFreshConnection(String eventId);

    /** With no store open, records in the database a schema version newer than the code knows. */
    protected abstract void markSchemaNewerThanCode();

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeTheStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static NewEvent event(String eventId, String roomId, List<String> prevEventIds) {
        return new NewEvent(eventId, roomId, "m.room.message", null, ALICE, 1, 1_700_000_000_000L,
                "{\"event_id\":\"" + eventId + "\"}", false, null, prevEventIds, List.of());
    }

    protected static NewEvent event(String eventId) {
        return event(eventId, ROOM, List.of());
    }

    protected void createRoom(String roomId) {
        store.write(tx -> tx.rooms().insert(new Room(roomId, "12", 1L))).join();
    }

    protected <T> T write(WriteUnit<T> unit) {
        return store.write(unit).join();
    }

    protected boolean writeFlag(WriteUnit<Boolean> unit) {
        return store.write(unit).join();
    }

    protected int writeCount(WriteUnit<Integer> unit) {
        return store.write(unit).join();
    }

    protected boolean readFlag(ReadUnit<Boolean> unit) {
        return store.read(unit);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        return thrown.getCause();
    }

    /** Queues a unit that holds the writer until the returned latch is counted down. */
    private CountDownLatch holdWriter() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.write(tx -> {
            holding.countDown();
            return release.await(30, TimeUnit.SECONDS);
        });
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        return release;
    }

    // --- transactions ---

    @Test
    void unitThatThrowsLeavesNothingBehind() {
        CompletableFuture<Object> future = store.write(tx -> {
            tx.rooms().insert(new Room(ROOM, "12", 1L));
            tx.events().insert(event("$a"));
            throw new IllegalStateException("deliberate failure");
        });
        Throwable failure = failureOf(future);
        assertInstanceOf(IllegalStateException.class, failure);
        assertEquals("deliberate failure", failure.getMessage());
        assertTrue(store.read(tx -> tx.rooms().get(ROOM)).isEmpty());
        assertFalse(readFlag(tx -> tx.events().exists("$a")));
    }

    @Test
    void failingUnitRollsBackAloneWhenQueuedWithOthers() throws Exception {
        CountDownLatch release = holdWriter();
        CompletableFuture<Boolean> first = store.write(tx -> tx.rooms().insert(new Room("!a:x", "12", 1L)));
        CompletableFuture<Boolean> failing = store.write(tx -> {
            tx.rooms().insert(new Room("!b:x", "12", 1L));
            throw new IllegalArgumentException("bad unit");
        });
        CompletableFuture<Boolean> last = store.write(tx -> tx.rooms().insert(new Room("!c:x", "12", 1L)));
        release.countDown();

        assertTrue(first.join());
        assertInstanceOf(IllegalArgumentException.class, failureOf(failing));
        assertTrue(last.join());
        List<String> rooms = store.read(tx -> tx.rooms().all()).stream().map(Room::roomId).toList();
        assertEquals(List.of("!a:x", "!c:x"), rooms);
    }

    @Test
    void futureCompletesOnlyAfterCommitAndTheDataIsThenReadableOnAFreshConnection() throws Exception {
        createRoom(ROOM);
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<EventInsertion> future = store.write(tx -> {
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
    void readUnitSeesOneSnapshotEvenWhenAWriteCommitsDuringIt() {
        createRoom(ROOM);
        write(tx -> tx.events().insert(event("$before")));
        List<Integer> counts = store.read(tx -> {
            int first = tx.events().eventsAfter(0, 10).size();
            store.write(w -> w.events().insert(event("$during"))).join();
            int second = tx.events().eventsAfter(0, 10).size();
            return List.of(first, second);
        });
        assertEquals(List.of(1, 1), counts);
        assertEquals(2, store.read(tx -> tx.events().eventsAfter(0, 10)).size());
    }

    @Test
    void committedWritesSurviveClosingAndReopening() {
        createRoom(ROOM);
        write(tx -> tx.events().insert(event("$a")));
        store.close();

        store = openStore();
        assertEquals("{\"event_id\":\"$a\"}", store.read(tx -> tx.events().get("$a")).orElseThrow().json());
        assertEquals(Optional.of(new Room(ROOM, "12", 1L)), store.read(tx -> tx.rooms().get(ROOM)));
    }

    @Test
    void closeFinishesEveryWriteQueuedBeforeIt() {
        createRoom(ROOM);
        List<CompletableFuture<EventInsertion>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String eventId = "$queued" + i;
            futures.add(store.write(tx -> tx.events().insert(event(eventId))));
        }
        store.close();
        futures.forEach(future -> assertInstanceOf(EventInsertion.Inserted.class, future.join()));

        store = openStore();
        assertEquals(100, store.read(tx -> tx.events().eventsAfter(0, 1000)).size());
    }

    @Test
    void writeAfterCloseIsRefused() {
        store.close();
        assertThrows(StoreClosedException.class, () -> store.write(tx -> null));
        assertThrows(StoreClosedException.class, () -> store.read(tx -> null));
    }

    @Test
    void transactionHandleUsedAfterItsUnitReturnedIsRefused() {
        AtomicReference<WriteTransaction> kept = new AtomicReference<>();
        write(tx -> {
            kept.set(tx);
            return null;
        });
        assertThrows(IllegalStateException.class, () -> kept.get().rooms().insert(new Room(ROOM, "12", 1L)));
    }

    @Test
    void readUnitsCannotWrite() {
        assertThrows(RuntimeException.class, () -> store.read(tx -> {
            ((WriteTransaction) tx).rooms().insert(new Room(ROOM, "12", 1L));
            return null;
        }));
        assertTrue(store.read(tx -> tx.rooms().get(ROOM)).isEmpty());
    }

    @Test
    void waitingForAnotherWriteInsideAWriteUnitIsRefused() {
        Throwable failure = failureOf(store.write(tx -> store.write(inner -> null)));
        assertInstanceOf(IllegalStateException.class, failure);
    }

    @Test
    void afterCommitActionsRunAfterCommitAndNeverForFailedUnits() {
        createRoom(ROOM);
        AtomicBoolean visibleWhenNotified = new AtomicBoolean();
        AtomicBoolean failedUnitNotified = new AtomicBoolean();
        write(tx -> {
            tx.events().insert(event("$a"));
            tx.afterCommit(() -> visibleWhenNotified.set(readEventJsonOnFreshConnection("$a").isPresent()));
            return null;
        });
        failureOf(store.write(tx -> {
            tx.afterCommit(() -> failedUnitNotified.set(true));
            throw new IllegalStateException("deliberate failure");
        }));
        assertTrue(visibleWhenNotified.get());
        assertFalse(failedUnitNotified.get());
    }

    // --- schema ---

    @Test
    void migrationsAreAppliedOnceAndReopeningKeepsVersionAndData() {
        int version = store.schemaVersion();
        assertTrue(version >= 1);
        write(tx -> tx.accounts().create(new Account(ALICE, "hash", 1L, false, false)));
        for (int i = 0; i < 2; i++) {
            store.close();
            store = openStore();
            assertEquals(version, store.schemaVersion());
        }
        assertTrue(readFlag(tx -> tx.accounts().exists(ALICE)));
    }

    @Test
    void databaseWithANewerSchemaIsRefused() {
        store.close();
        store = null;
        markSchemaNewerThanCode();
        SchemaTooNewException refused = assertThrows(SchemaTooNewException.class, this::openStore);
        assertTrue(refused.databaseVersion() > refused.supportedVersion());
    }

    // --- events ---

    @Test
    void fiftyConcurrentSubmittersAreAllCommittedWithUniqueStreamOrderings() throws Exception {
        createRoom(ROOM);
        int submitters = 50;
        int eventsEach = 40;
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        ConcurrentLinkedQueue<Long> orderings = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                int submitter = s;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < eventsEach; i++) {
                        NewEvent e = event("$s" + submitter + "e" + i);
                        EventInsertion insertion = store.write(tx -> tx.events().insert(e)).join();
                        assertInstanceOf(EventInsertion.Inserted.class, insertion);
                        orderings.add(insertion.streamOrdering());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = submitters * eventsEach;
        LOG.info("{} events from {} submitters committed in {} s ({} events/s)",
                total, submitters, String.format("%.2f", seconds), Math.round(total / seconds));

        assertEquals(total, orderings.size());
        assertEquals(total, new HashSet<>(orderings).size());
        List<StoredEvent> stored = store.read(tx -> tx.events().eventsAfter(0, total + 1));
        assertEquals(total, stored.size());
        assertEquals(new HashSet<>(orderings), new HashSet<>(stored.stream().map(StoredEvent::streamOrdering).toList()));
    }

    @Test
    void streamOrderingsIncreaseInCommitOrder() {
        createRoom(ROOM);
        long previous = store.read(tx -> tx.events().maxStreamOrdering());
        for (int i = 0; i < 5; i++) {
            String id = "$e" + i;
            long ordering = write(tx -> tx.events().insert(event(id))).streamOrdering();
            assertTrue(ordering > previous);
            previous = ordering;
        }
        assertEquals(previous, (long) store.read(tx -> tx.events().maxStreamOrdering()));
    }

    @Test
    void insertingAnEventIdTwiceReportsTheDuplicateAndKeepsTheOriginal() {
        createRoom(ROOM);
        EventInsertion first = write(tx -> tx.events().insert(event("$a")));
        NewEvent other = new NewEvent("$a", ROOM, "m.room.other", null, ALICE, 9, 9L, "{\"other\":true}",
                false, null, List.of(), List.of());
        EventInsertion second = write(tx -> tx.events().insert(other));

        EventInsertion.Duplicate duplicate = assertInstanceOf(EventInsertion.Duplicate.class, second);
        assertEquals(first.streamOrdering(), duplicate.streamOrdering());
        assertEquals("{\"event_id\":\"$a\"}", duplicate.existing().json());
        assertEquals("m.room.message", store.read(tx -> tx.events().get("$a")).orElseThrow().type());
    }

    @Test
    void eventOfAnUnknownRoomIsRefusedWithAStoreException() {
        Throwable failure = failureOf(store.write(tx -> tx.events().insert(event("$a", "!unknown:x", List.of()))));
        assertInstanceOf(StoreException.class, failure);
        assertFalse(readFlag(tx -> tx.events().exists("$a")));
    }

    @Test
    void eventRoundTripsWithEveryColumnAndItsPrevEventsInOrder() {
        createRoom(ROOM);
        NewEvent member = new NewEvent("$m", ROOM, "m.room.member", ALICE, ALICE, 7, 123L, "{\"m\":1}",
                false, null, List.of("$z", "$a", "$missing"), List.of("$power", "$create"));
        long ordering = write(tx -> tx.events().insert(member)).streamOrdering();

        StoredEvent stored = store.read(tx -> tx.events().get("$m")).orElseThrow();
        assertEquals(new StoredEvent(ordering, "$m", ROOM, "m.room.member", ALICE, ALICE, 7, 123L, "{\"m\":1}",
                false, null), stored);
        assertTrue(stored.isState());
        assertEquals(List.of("$z", "$a", "$missing"), store.read(tx -> tx.events().prevEventIds("$m")));
        assertEquals(List.of("$power", "$create"), store.read(tx -> tx.events().authEventIds("$m")));
        assertEquals(Set.of("$m"), store.read(tx -> tx.events().getAll(List.of("$m", "$nope"))).keySet());
    }

    @Test
    void timelinesLeaveOutOutliersAndRejectedEventsUntilTheyJoinTheTimeline() {
        createRoom(ROOM);
        NewEvent outlier = new NewEvent("$out", ROOM, "m.room.create", "", ALICE, 1, 1L, "{}", true, null, List.of(), List.of());
        write(tx -> {
            tx.events().insert(event("$1"));
            tx.events().insert(outlier);
            tx.events().insert(event("$2"));
            tx.events().insert(event("$bad"));
            return tx.events().reject("$bad", "sender not in room");
        });
        assertEquals(List.of("$1", "$2"), ids(store.read(tx -> tx.events().roomEventsAfter(ROOM, 0, 10))));
        long end = store.read(tx -> tx.events().maxStreamOrdering()) + 1;
        assertEquals(List.of("$2", "$1"), ids(store.read(tx -> tx.events().roomEventsBefore(ROOM, end, 10))));
        assertEquals("sender not in room", store.read(tx -> tx.events().get("$bad")).orElseThrow().rejectionReason());

        assertTrue(writeFlag(tx -> tx.events().markNotOutlier("$out")));
        assertFalse(writeFlag(tx -> tx.events().markNotOutlier("$out")));
        assertEquals(List.of("$1", "$2", "$out"), ids(store.read(tx -> tx.events().eventsAfter(0, 10))));
        assertEquals(List.of("$1"), ids(store.read(tx -> tx.events().roomEventsAfter(ROOM, 0, 1))));
    }

    @Test
    void authChainFollowsAuthEventsTransitivelyAndStopsAtMissingEvents() {
        createRoom(ROOM);
        write(tx -> {
            tx.events().insert(authed("$create"));
            tx.events().insert(authed("$alice", "$create"));
            tx.events().insert(authed("$power", "$create", "$alice"));
            tx.events().insert(authed("$bob", "$create", "$power", "$missing"));
            tx.events().insert(authed("$msg", "$create", "$power", "$bob"));
            return tx.events().insert(authed("$other", "$create"));
        });
        assertEquals(Set.of("$create", "$alice", "$power", "$bob", "$missing"),
                store.read(tx -> tx.events().authChain(List.of("$msg"))));
        assertEquals(Set.of("$create", "$alice"), store.read(tx -> tx.events().authChain(List.of("$power", "$other"))));
        assertEquals(Set.of(), store.read(tx -> tx.events().authChain(List.of("$create", "$unknown"))));
        assertEquals(Set.of(), store.read(tx -> tx.events().authChain(List.of())));
    }

    private static NewEvent authed(String eventId, String... authEventIds) {
        return new NewEvent(eventId, ROOM, "m.room.member", eventId, ALICE, 1, 1L, "{}", false, null,
                List.of(), List.of(authEventIds));
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::eventId).toList();
    }

    @Test
    void forwardExtremitiesAreReplacedAndAdvanced() {
        createRoom(ROOM);
        write(tx -> {
            for (String id : List.of("$a", "$b", "$c", "$d")) {
                tx.events().insert(event(id));
            }
            tx.forwardExtremities().replace(ROOM, Set.of("$a", "$b"));
            return null;
        });
        assertEquals(Set.of("$a", "$b"), store.read(tx -> tx.forwardExtremities().get(ROOM)));

        write(tx -> {
            tx.forwardExtremities().advance(ROOM, "$c", List.of("$a"));
            return null;
        });
        assertEquals(Set.of("$b", "$c"), store.read(tx -> tx.forwardExtremities().get(ROOM)));

        write(tx -> {
            tx.forwardExtremities().replace(ROOM, Set.of("$d"));
            return null;
        });
        assertEquals(Set.of("$d"), store.read(tx -> tx.forwardExtremities().get(ROOM)));
        assertEquals(Set.of(), store.read(tx -> tx.forwardExtremities().get("!other:x")));
    }

    // --- state snapshots ---

    private static final StateTuple CREATE = new StateTuple("m.room.create", "");
    private static final StateTuple NAME = new StateTuple("m.room.name", "");
    private static final StateTuple TOPIC = new StateTuple("m.room.topic", "");
    private static final StateTuple ALICE_MEMBER = new StateTuple("m.room.member", ALICE);

    @Test
    void stateSnapshotsRoundTripThroughDeltas() {
        createRoom(ROOM);
        long[] groups = write(tx -> {
            StateSnapshots.Writer snapshots = tx.stateSnapshots();
            long base = snapshots.createSnapshot(ROOM, Map.of(CREATE, "$create", NAME, "$name1", TOPIC, "$topic"));
            long delta = snapshots.createDelta(base, Map.of(NAME, "$name2", ALICE_MEMBER, "$join"), Set.of(TOPIC));
            long deltaOfDelta = snapshots.createDelta(delta, Map.of(TOPIC, "$topic2"), Set.of());
            return new long[] {base, delta, deltaOfDelta};
        });

        assertEquals(Map.of(CREATE, "$create", NAME, "$name1", TOPIC, "$topic"),
                store.read(tx -> tx.stateSnapshots().state(groups[0])));
        assertEquals(Map.of(CREATE, "$create", NAME, "$name2", ALICE_MEMBER, "$join"),
                store.read(tx -> tx.stateSnapshots().state(groups[1])));
        assertEquals(Map.of(CREATE, "$create", NAME, "$name2", ALICE_MEMBER, "$join", TOPIC, "$topic2"),
                store.read(tx -> tx.stateSnapshots().state(groups[2])));

        assertEquals(Optional.of("$name2"), store.read(tx -> tx.stateSnapshots().stateEventId(groups[1], NAME)));
        assertEquals(Optional.empty(), store.read(tx -> tx.stateSnapshots().stateEventId(groups[1], TOPIC)));
        StateGroup delta = store.read(tx -> tx.stateSnapshots().group(groups[1])).orElseThrow();
        assertEquals(groups[0], delta.parentGroupId());
        assertEquals(1, delta.chainLength());
        assertEquals(ROOM, delta.roomId());
    }

    @Test
    void longDeltaChainsStayCorrectAndAreCut() {
        createRoom(ROOM);
        int changes = 300;
        long last = write(tx -> {
            long group = tx.stateSnapshots().createSnapshot(ROOM, Map.of(CREATE, "$create"));
            for (int i = 0; i < changes; i++) {
                StateTuple member = new StateTuple("m.room.member", "@u" + (i % 50) + ":x");
                group = tx.stateSnapshots().createDelta(group, Map.of(member, "$join" + i), Set.of());
            }
            return group;
        });
        Map<StateTuple, String> expected = new HashMap<>();
        expected.put(CREATE, "$create");
        for (int i = 0; i < changes; i++) {
            expected.put(new StateTuple("m.room.member", "@u" + (i % 50) + ":x"), "$join" + i);
        }
        assertEquals(expected, store.read(tx -> tx.stateSnapshots().state(last)));
        assertTrue(store.read(tx -> tx.stateSnapshots().group(last)).orElseThrow().chainLength() < changes);
    }

    @Test
    void stateBeforeAndAfterAnEventReferenceSnapshots() {
        createRoom(ROOM);
        write(tx -> {
            tx.events().insert(event("$name2"));
            long before = tx.stateSnapshots().createSnapshot(ROOM, Map.of(NAME, "$name1"));
            long after = tx.stateSnapshots().createDelta(before, Map.of(NAME, "$name2"), Set.of());
            tx.stateSnapshots().setEventState(new EventStateGroups("$name2", before, after));
            return null;
        });
        EventStateGroups groups = store.read(tx -> tx.stateSnapshots().eventState("$name2")).orElseThrow();
        assertEquals(Map.of(NAME, "$name1"), store.read(tx -> tx.stateSnapshots().state(groups.stateBeforeGroup())));
        assertEquals(Map.of(NAME, "$name2"), store.read(tx -> tx.stateSnapshots().state(groups.stateAfterGroup())));
        assertTrue(store.read(tx -> tx.stateSnapshots().eventState("$unknown")).isEmpty());
    }

    @Test
    void unknownStateGroupsAndContradictoryDeltasAreRefused() {
        createRoom(ROOM);
        assertThrows(IllegalArgumentException.class, () -> store.read(tx -> tx.stateSnapshots().state(424242)));
        assertInstanceOf(IllegalArgumentException.class,
                failureOf(store.write(tx -> tx.stateSnapshots().createDelta(424242, Map.of(), Set.of()))));
        assertInstanceOf(IllegalArgumentException.class, failureOf(store.write(tx -> {
            long base = tx.stateSnapshots().createSnapshot(ROOM, Map.of(NAME, "$n"));
            return tx.stateSnapshots().createDelta(base, Map.of(NAME, "$n2"), Set.of(NAME));
        })));
    }

    // --- accounts, devices, tokens ---

    @Test
    void accountLifecycle() {
        assertTrue(writeFlag(tx -> tx.accounts().create(new Account(ALICE, "hash1", 5L, false, false))));
        assertFalse(writeFlag(tx -> tx.accounts().create(new Account(ALICE, "other", 6L, false, true))));
        assertEquals(new Account(ALICE, "hash1", 5L, false, false), store.read(tx -> tx.accounts().get(ALICE)).orElseThrow());

        assertTrue(writeFlag(tx -> tx.accounts().setPasswordHash(ALICE, "hash2")));
        assertTrue(writeFlag(tx -> tx.accounts().setAdmin(ALICE, true)));
        assertEquals(new Account(ALICE, "hash2", 5L, false, true), store.read(tx -> tx.accounts().get(ALICE)).orElseThrow());

        assertTrue(writeFlag(tx -> tx.accounts().deactivate(ALICE)));
        assertEquals(new Account(ALICE, null, 5L, true, true), store.read(tx -> tx.accounts().get(ALICE)).orElseThrow());

        assertFalse(writeFlag(tx -> tx.accounts().deactivate("@nobody:x")));
        assertFalse(writeFlag(tx -> tx.accounts().setPasswordHash("@nobody:x", "h")));
        assertTrue(store.read(tx -> tx.accounts().get("@nobody:x")).isEmpty());
    }

    @Test
    void deviceLifecycleAndDeletingADeviceRevokesItsTokens() {
        write(tx -> tx.accounts().create(new Account(ALICE, "hash", 1L, false, false)));
        assertTrue(writeFlag(tx -> tx.devices().insert(new Device(ALICE, "PHONE", "Phone", null, null))));
        assertTrue(writeFlag(tx -> tx.devices().insert(new Device(ALICE, "LAPTOP", null, null, null))));
        assertFalse(writeFlag(tx -> tx.devices().insert(new Device(ALICE, "PHONE", "Again", null, null))));

        assertTrue(writeFlag(tx -> tx.devices().setDisplayName(ALICE, "LAPTOP", "Laptop")));
        assertTrue(writeFlag(tx -> tx.devices().recordSeen(ALICE, "PHONE", 99L, "127.0.0.1")));
        assertEquals(List.of(new Device(ALICE, "LAPTOP", "Laptop", null, null),
                        new Device(ALICE, "PHONE", "Phone", 99L, "127.0.0.1")),
                store.read(tx -> tx.devices().forUser(ALICE)));

        TokenHash phoneToken = TokenHash.of("phone-token");
        write(tx -> tx.accessTokens().insert(new AccessToken(phoneToken, ALICE, "PHONE", 1L, null, null)));
        assertTrue(writeFlag(tx -> tx.devices().delete(ALICE, "PHONE")));
        assertFalse(writeFlag(tx -> tx.devices().delete(ALICE, "PHONE")));
        assertTrue(store.read(tx -> tx.accessTokens().byTokenHash(phoneToken)).isEmpty());
        assertTrue(store.read(tx -> tx.devices().get(ALICE, "PHONE")).isEmpty());
    }

    @Test
    void deviceOfAnUnknownAccountIsRefusedWithAStoreException() {
        assertInstanceOf(StoreException.class,
                failureOf(store.write(tx -> tx.devices().insert(new Device("@nobody:x", "D", null, null, null)))));
    }

    @Test
    void accessTokensAreFoundByTheHashOfTheirToken() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, "hash", 1L, false, false));
            return tx.devices().insert(new Device(ALICE, "PHONE", null, null, null));
        });
        AccessToken token = new AccessToken(TokenHash.of("syt_secret"), ALICE, "PHONE", 10L, 1000L,
                TokenHash.of("syr_refresh"));
        assertTrue(writeFlag(tx -> tx.accessTokens().insert(token)));
        assertFalse(writeFlag(tx -> tx.accessTokens().insert(token)));

        assertEquals(Optional.of(token), store.read(tx -> tx.accessTokens().byTokenHash(TokenHash.of("syt_secret"))));
        assertEquals(Optional.of(token), store.read(tx -> tx.accessTokens().byRefreshTokenHash(TokenHash.of("syr_refresh"))));
        assertTrue(store.read(tx -> tx.accessTokens().byTokenHash(TokenHash.of("syt_guess"))).isEmpty());
        assertTrue(token.isExpiredAt(1000L));
        assertFalse(token.isExpiredAt(999L));

        assertTrue(writeFlag(tx -> tx.accessTokens().delete(token.tokenHash())));
        assertTrue(store.read(tx -> tx.accessTokens().byTokenHash(token.tokenHash())).isEmpty());
    }

    @Test
    void loggingOutEverywhereDeletesEveryTokenOfTheUser() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, "hash", 1L, false, false));
            tx.devices().insert(new Device(ALICE, "A", null, null, null));
            tx.devices().insert(new Device(ALICE, "B", null, null, null));
            tx.accessTokens().insert(new AccessToken(TokenHash.of("t1"), ALICE, "A", 1L, null, null));
            tx.accessTokens().insert(new AccessToken(TokenHash.of("t2"), ALICE, "A", 2L, null, null));
            return tx.accessTokens().insert(new AccessToken(TokenHash.of("t3"), ALICE, "B", 3L, null, null));
        });
        assertEquals(2, store.read(tx -> tx.accessTokens().forDevice(ALICE, "A")).size());
        assertEquals(2, writeCount(tx -> tx.accessTokens().deleteForDevice(ALICE, "A")));
        assertEquals(1, writeCount(tx -> tx.accessTokens().deleteForUser(ALICE)));
        assertTrue(store.read(tx -> tx.accessTokens().forDevice(ALICE, "B")).isEmpty());
    }

    // --- client transactions, memberships, federation queue ---

    @Test
    void retransmittedClientRequestFindsTheFirstResponse() {
        write(tx -> {
            tx.accounts().create(new Account(ALICE, "hash", 1L, false, false));
            return tx.devices().insert(new Device(ALICE, "PHONE", null, null, null));
        });
        String path = "/_matrix/client/v3/rooms/" + ROOM + "/send/m.room.message/txn1";
        ClientTransaction first = new ClientTransaction(ALICE, "PHONE", path, 200, "{\"event_id\":\"$a\"}", 5L);
        assertTrue(writeFlag(tx -> tx.clientTransactions().record(first)));
        assertFalse(writeFlag(tx -> tx.clientTransactions().record(
                new ClientTransaction(ALICE, "PHONE", path, 200, "{\"event_id\":\"$b\"}", 6L))));

        assertEquals(Optional.of(first), store.read(tx -> tx.clientTransactions().get(ALICE, "PHONE", path)));
        assertTrue(store.read(tx -> tx.clientTransactions().get(ALICE, "OTHER", path)).isEmpty());
        assertTrue(store.read(tx -> tx.clientTransactions().get(ALICE, "PHONE", path + "x")).isEmpty());

        write(tx -> tx.devices().delete(ALICE, "PHONE"));
        assertTrue(store.read(tx -> tx.clientTransactions().get(ALICE, "PHONE", path)).isEmpty());
    }

    @Test
    void currentMembershipIsReplacedAndListedByUserAndByRoom() {
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
                store.read(tx -> tx.memberships().get(ROOM, ALICE)));
        assertEquals(List.of(new Membership("!other:x", ALICE, "ban", "$other"), new Membership(ROOM, ALICE, "join", "$join")),
                store.read(tx -> tx.memberships().forUser(ALICE)));
        assertEquals(List.of("@alice:example.onion", "@bob:x"),
                store.read(tx -> tx.memberships().inRoom(ROOM)).stream().map(Membership::userId).toList());
        assertThrows(IllegalArgumentException.class, () -> new Membership(ROOM, ALICE, "joined", "$join"));
        assertInstanceOf(StoreException.class, failureOf(store.write(tx -> {
            tx.memberships().set(new Membership(ROOM, ALICE, "leave", "$not-stored"));
            return null;
        })));
    }

    @Test
    void federationQueueKeepsOrderPerDestinationUntilRemoved() {
        List<Long> ids = write(tx -> List.of(
                tx.federationQueue().enqueue("a.onion", QueuedItem.Kind.PDU, "{\"n\":1}", 1L),
                tx.federationQueue().enqueue("b.onion", QueuedItem.Kind.EDU, "{\"n\":2}", 2L),
                tx.federationQueue().enqueue("a.onion", QueuedItem.Kind.EDU, "{\"n\":3}", 3L)));
        assertEquals(Set.of("a.onion", "b.onion"), store.read(tx -> tx.federationQueue().destinationsWithPending()));
        List<QueuedItem> pending = store.read(tx -> tx.federationQueue().pending("a.onion", 10));
        assertEquals(List.of(new QueuedItem(ids.get(0), "a.onion", QueuedItem.Kind.PDU, "{\"n\":1}", 1L),
                new QueuedItem(ids.get(2), "a.onion", QueuedItem.Kind.EDU, "{\"n\":3}", 3L)), pending);
        assertEquals(1, store.read(tx -> tx.federationQueue().pending("a.onion", 1)).size());

        assertEquals(2, writeCount(tx -> tx.federationQueue().remove(List.of(ids.get(0), ids.get(2), 999L))));
        assertEquals(Set.of("b.onion"), store.read(tx -> tx.federationQueue().destinationsWithPending()));
        store.close();
        store = openStore();
        assertEquals(1, store.read(tx -> tx.federationQueue().pending("b.onion", 10)).size());
    }

    @Test
    void destinationBackoffCountsFailuresUntilASuccess() {
        assertTrue(store.read(tx -> tx.federationQueue().backoff("a.onion")).isEmpty());
        assertEquals(new DestinationBackoff("a.onion", 1, 100L),
                write(tx -> tx.federationQueue().recordFailure("a.onion", 100L)));
        assertEquals(new DestinationBackoff("a.onion", 2, 300L),
                write(tx -> tx.federationQueue().recordFailure("a.onion", 300L)));
        assertEquals(Optional.of(new DestinationBackoff("a.onion", 2, 300L)),
                store.read(tx -> tx.federationQueue().backoff("a.onion")));
        write(tx -> {
            tx.federationQueue().recordSuccess("a.onion");
            return null;
        });
        assertTrue(store.read(tx -> tx.federationQueue().backoff("a.onion")).isEmpty());
    }
}
