package dev.hyphae.store;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: events, their DAG and auth edges, timelines and forward extremities. */
public interface EventsContract extends StoreFixture {
    Logger LOG = LoggerFactory.getLogger(EventsContract.class);

    @Test
    default void fiftyConcurrentSubmittersAreAllCommittedWithUniqueStreamOrderings() throws Exception {
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
                        EventInsertion insertion = store().write(tx -> tx.events().insert(e)).join();
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
        List<StoredEvent> stored = store().read(tx -> tx.events().eventsAfter(0, total + 1));
        assertEquals(total, stored.size());
        assertEquals(new HashSet<>(orderings), new HashSet<>(stored.stream().map(StoredEvent::streamOrdering).toList()));
    }

    @Test
    default void streamOrderingsIncreaseInCommitOrder() {
        createRoom(ROOM);
        long previous = store().read(tx -> tx.events().maxStreamOrdering());
        for (int i = 0; i < 5; i++) {
            String id = "$e" + i;
            long ordering = write(tx -> tx.events().insert(event(id))).streamOrdering();
            assertTrue(ordering > previous);
            previous = ordering;
        }
        assertEquals(previous, (long) store().read(tx -> tx.events().maxStreamOrdering()));
    }

    @Test
    default void insertingAnEventIdTwiceReportsTheDuplicateAndKeepsTheOriginal() {
        createRoom(ROOM);
        EventInsertion first = write(tx -> tx.events().insert(event("$a")));
        NewEvent other = new NewEvent("$a", ROOM, "m.room.other", null, ALICE, 9, 9L, "{\"other\":true}",
                false, null, List.of(), List.of());
        EventInsertion second = write(tx -> tx.events().insert(other));

        EventInsertion.Duplicate duplicate = assertInstanceOf(EventInsertion.Duplicate.class, second);
        assertEquals(first.streamOrdering(), duplicate.streamOrdering());
        assertEquals("{\"event_id\":\"$a\"}", duplicate.existing().json());
        assertEquals("m.room.message", store().read(tx -> tx.events().get("$a")).orElseThrow().type());
    }

    @Test
    default void eventOfAnUnknownRoomIsRefusedWithAStoreException() {
        Throwable failure = failureOf(store().write(tx -> tx.events().insert(event("$a", "!unknown:x", List.of()))));
        assertInstanceOf(StoreException.class, failure);
        assertFalse(readFlag(tx -> tx.events().exists("$a")));
    }

    @Test
    default void eventRoundTripsWithEveryColumnAndItsPrevEventsInOrder() {
        createRoom(ROOM);
        NewEvent member = new NewEvent("$m", ROOM, "m.room.member", ALICE, ALICE, 7, 123L, "{\"m\":1}",
                false, null, List.of("$z", "$a", "$missing"), List.of("$power", "$create"));
        long ordering = write(tx -> tx.events().insert(member)).streamOrdering();

        StoredEvent stored = store().read(tx -> tx.events().get("$m")).orElseThrow();
        assertEquals(new StoredEvent(ordering, "$m", ROOM, "m.room.member", ALICE, ALICE, 7, 123L, "{\"m\":1}",
                false, null), stored);
        assertTrue(stored.isState());
        assertEquals(List.of("$z", "$a", "$missing"), store().read(tx -> tx.events().prevEventIds("$m")));
        assertEquals(List.of("$power", "$create"), store().read(tx -> tx.events().authEventIds("$m")));
        assertEquals(Set.of("$m"), store().read(tx -> tx.events().getAll(List.of("$m", "$nope"))).keySet());
    }

    @Test
    default void aRepeatedPrevOrAuthEventKeepsItsFirstPosition() {
        createRoom(ROOM);
        write(tx -> tx.events().insert(new NewEvent("$m", ROOM, "m.room.message", null, ALICE, 2, 1L, "{}", false, null,
                List.of("$b", "$a", "$b"), List.of("$power", "$create", "$power", "$member"))));

        assertEquals(List.of("$b", "$a"), store().read(tx -> tx.events().prevEventIds("$m")));
        assertEquals(List.of("$power", "$create", "$member"), store().read(tx -> tx.events().authEventIds("$m")));
    }

    @Test
    default void timelinesLeaveOutOutliersAndRejectedEventsUntilTheyJoinTheTimeline() {
        createRoom(ROOM);
        NewEvent outlier = new NewEvent("$out", ROOM, "m.room.create", "", ALICE, 1, 1L, "{}", true, null, List.of(), List.of());
        write(tx -> {
            tx.events().insert(event("$1"));
            tx.events().insert(outlier);
            tx.events().insert(event("$2"));
            tx.events().insert(event("$bad"));
            return tx.events().reject("$bad", "sender not in room");
        });
        assertEquals(List.of("$1", "$2"), ids(store().read(tx -> tx.events().roomEventsAfter(ROOM, 0, 10))));
        long end = store().read(tx -> tx.events().maxStreamOrdering()) + 1;
        assertEquals(List.of("$2", "$1"), ids(store().read(tx -> tx.events().roomEventsBefore(ROOM, end, 10))));
        assertEquals("sender not in room", store().read(tx -> tx.events().get("$bad")).orElseThrow().rejectionReason());

        assertTrue(writeFlag(tx -> tx.events().markNotOutlier("$out")));
        assertFalse(writeFlag(tx -> tx.events().markNotOutlier("$out")));
        assertEquals(List.of("$1", "$2", "$out"), ids(store().read(tx -> tx.events().eventsAfter(0, 10))));
        assertEquals(List.of("$1"), ids(store().read(tx -> tx.events().roomEventsAfter(ROOM, 0, 1))));
    }

    @Test
    default void authChainFollowsAuthEventsTransitivelyAndStopsAtMissingEvents() {
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
                store().read(tx -> tx.events().authChain(List.of("$msg"))));
        assertEquals(Set.of("$create", "$alice"), store().read(tx -> tx.events().authChain(List.of("$power", "$other"))));
        assertEquals(Set.of(), store().read(tx -> tx.events().authChain(List.of("$create", "$unknown"))));
        assertEquals(Set.of(), store().read(tx -> tx.events().authChain(List.of())));
    }

    private static NewEvent authed(String eventId, String... authEventIds) {
        return new NewEvent(eventId, ROOM, "m.room.member", eventId, ALICE, 1, 1L, "{}", false, null,
                List.of(), List.of(authEventIds));
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::eventId).toList();
    }

    @Test
    default void forwardExtremitiesAreReplacedAndAdvanced() {
        createRoom(ROOM);
        write(tx -> {
            for (String id : List.of("$a", "$b", "$c", "$d")) {
                tx.events().insert(event(id));
            }
            tx.forwardExtremities().replace(ROOM, Set.of("$a", "$b"));
            return null;
        });
        assertEquals(Set.of("$a", "$b"), store().read(tx -> tx.forwardExtremities().get(ROOM)));

        write(tx -> {
            tx.forwardExtremities().advance(ROOM, "$c", List.of("$a"));
            return null;
        });
        assertEquals(Set.of("$b", "$c"), store().read(tx -> tx.forwardExtremities().get(ROOM)));

        write(tx -> {
            tx.forwardExtremities().replace(ROOM, Set.of("$d"));
            return null;
        });
        assertEquals(Set.of("$d"), store().read(tx -> tx.forwardExtremities().get(ROOM)));
        assertEquals(Set.of(), store().read(tx -> tx.forwardExtremities().get("!other:x")));
    }

    @Test
    default void backwardExtremitiesAreThePrevEventsNotStored() {
        createRoom(ROOM);
        write(tx -> {
            tx.events().insert(event("$a", ROOM, List.of("$gap1")));
            tx.events().insert(event("$b", ROOM, List.of("$a", "$gap2")));
            tx.events().insert(new NewEvent("$out", ROOM, "m.room.create", "", ALICE, 1, 1L, "{}", true, null,
                    List.of("$outlier-prev"), List.of()));
            return null;
        });
        assertEquals(Set.of("$gap1", "$gap2"), store().read(tx -> tx.events().backwardExtremities(ROOM)));
        write(tx -> tx.events().insert(event("$gap1")));
        assertEquals(Set.of("$gap2"), store().read(tx -> tx.events().backwardExtremities(ROOM)));
    }

    @Test
    default void redactionReplacesTheJsonAndKeepsTheColumns() {
        createRoom(ROOM);
        long ordering = write(tx -> tx.events().insert(event("$a"))).streamOrdering();
        assertTrue(writeFlag(tx -> tx.events().replaceJson("$a", "{\"redacted\":true}")));
        assertFalse(writeFlag(tx -> tx.events().replaceJson("$unknown", "{}")));
        StoredEvent redacted = store().read(tx -> tx.events().get("$a")).orElseThrow();
        assertEquals("{\"redacted\":true}", redacted.json());
        assertEquals(ordering, redacted.streamOrdering());
        assertEquals("m.room.message", redacted.type());
    }
}
