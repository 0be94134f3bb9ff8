package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: the full-text index of room events and the members sent under lazy-loading. */
public interface EventSearchContract extends StoreFixture {
    String MESSAGE = "m.room.message";

    private long storeMessage(String eventId, String roomId, String text) {
        return write(tx -> {
            long ordering = tx.events().insert(event(eventId, roomId, List.of())).streamOrdering();
            tx.eventSearch().index(new EventSearch.Entry(eventId, roomId, ALICE, MESSAGE, ordering, text));
            return ordering;
        });
    }

    private static EventSearch.SearchQuery query(List<String> terms, Map<String, Long> rooms, EventSearch.Order order) {
        return new EventSearch.SearchQuery(terms, rooms, Set.of(MESSAGE), Optional.empty(), order, Optional.empty());
    }

    private List<String> ids(EventSearch.SearchQuery query, int offset, int limit) {
        return store().read(tx -> tx.eventSearch().search(query, offset, limit)).stream()
                .map(EventSearch.SearchHit::eventId).toList();
    }

    @Test
    default void allTermsMustOccurIgnoringCaseAndDiacritics() {
        createRoom(ROOM);
        storeMessage("$a", ROOM, "Martians and men");
        storeMessage("$b", ROOM, "Only martians here");
        storeMessage("$c", ROOM, "Café au lait");
        Map<String, Long> rooms = Map.of(ROOM, Long.MAX_VALUE);
        assertEquals(List.of("$a"), ids(query(List.of("MARTIANS", "men"), rooms, EventSearch.Order.RECENT), 0, 10));
        assertEquals(List.of("$b", "$a"), ids(query(List.of("martians"), rooms, EventSearch.Order.RECENT), 0, 10));
        assertEquals(List.of("$c"), ids(query(List.of("cafe"), rooms, EventSearch.Order.RECENT), 0, 10));
        assertEquals(2L, (long) store().read(tx -> tx.eventSearch().count(query(List.of("martians"), rooms,
                EventSearch.Order.RANK))));
    }

    @Test
    default void queryCharactersInATermAreTakenAsText() {
        createRoom(ROOM);
        storeMessage("$a", ROOM, "say \"hello\" OR NOT");
        Map<String, Long> rooms = Map.of(ROOM, Long.MAX_VALUE);
        assertEquals(List.of("$a"), ids(query(List.of("\"hello\""), rooms, EventSearch.Order.RANK), 0, 10));
        assertEquals(List.of("$a"), ids(query(List.of("NOT"), rooms, EventSearch.Order.RANK), 0, 10));
        assertEquals(List.of(), ids(query(List.of("*"), rooms, EventSearch.Order.RANK), 0, 10));
    }

    @Test
    default void rankPutsTheBetterMatchFirstAndRankIsHigherForIt() {
        createRoom(ROOM);
        storeMessage("$weak", ROOM, "pizza is one of many things we could talk about at great length today");
        storeMessage("$strong", ROOM, "pizza pizza pizza");
        List<EventSearch.SearchHit> hits = store().read(tx -> tx.eventSearch().search(
                query(List.of("pizza"), Map.of(ROOM, Long.MAX_VALUE), EventSearch.Order.RANK), 0, 10));
        assertEquals(List.of("$strong", "$weak"), hits.stream().map(EventSearch.SearchHit::eventId).toList());
        assertTrue(hits.get(0).rank() > hits.get(1).rank());
    }

    @Test
    default void onlyListedRoomsUpToTheirStreamOrderingAndTypesAndSendersMatch() {
        createRoom(ROOM);
        createRoom("!other:example.onion");
        long first = storeMessage("$a", ROOM, "hello one");
        storeMessage("$b", ROOM, "hello two");
        storeMessage("$c", "!other:example.onion", "hello three");
        assertEquals(List.of("$a"), ids(query(List.of("hello"), Map.of(ROOM, first), EventSearch.Order.RECENT), 0, 10));
        EventSearch.SearchQuery topics = new EventSearch.SearchQuery(List.of("hello"), Map.of(ROOM, Long.MAX_VALUE),
                Set.of("m.room.topic"), Optional.empty(), EventSearch.Order.RECENT, Optional.empty());
        assertEquals(List.of(), ids(topics, 0, 10));
        EventSearch.SearchQuery bob = new EventSearch.SearchQuery(List.of("hello"), Map.of(ROOM, Long.MAX_VALUE),
                Set.of(MESSAGE), Optional.of(Set.of("@bob:example.onion")), EventSearch.Order.RECENT, Optional.empty());
        assertEquals(List.of(), ids(bob, 0, 10));
        assertEquals(List.of(), ids(query(List.of("hello"), Map.of(), EventSearch.Order.RECENT), 0, 10));
    }

    @Test
    default void recentPagesByStreamOrderingAndRankPagesByOffset() {
        createRoom(ROOM);
        long a = storeMessage("$a", ROOM, "word");
        long b = storeMessage("$b", ROOM, "word");
        storeMessage("$c", ROOM, "word");
        EventSearch.SearchQuery older = new EventSearch.SearchQuery(List.of("word"), Map.of(ROOM, Long.MAX_VALUE),
                Set.of(MESSAGE), Optional.empty(), EventSearch.Order.RECENT, Optional.of(b));
        assertEquals(List.of("$a"), ids(older, 0, 10));
        assertEquals(a, store().read(tx -> tx.eventSearch().search(older, 0, 10)).get(0).streamOrdering());
        EventSearch.SearchQuery ranked = query(List.of("word"), Map.of(ROOM, Long.MAX_VALUE), EventSearch.Order.RANK);
        assertEquals(3, ids(ranked, 0, 2).size() + ids(ranked, 2, 2).size());
    }

    @Test
    default void removedAndRejectedEventsNoLongerMatch() {
        createRoom(ROOM);
        storeMessage("$a", ROOM, "secret plans");
        storeMessage("$b", ROOM, "secret recipe");
        assertTrue(writeFlag(tx -> tx.eventSearch().remove("$a")));
        assertFalse(writeFlag(tx -> tx.eventSearch().remove("$a")));
        assertFalse(readFlag(tx -> tx.eventSearch().contains("$a")));
        writeFlag(tx -> tx.events().reject("$b", "not allowed"));
        assertEquals(List.of(), ids(query(List.of("secret"), Map.of(ROOM, Long.MAX_VALUE), EventSearch.Order.RANK), 0, 10));
    }

    @Test
    default void indexingAnEventAgainReplacesItsText() {
        createRoom(ROOM);
        long ordering = storeMessage("$a", ROOM, "first words");
        write(tx -> {
            tx.eventSearch().index(new EventSearch.Entry("$a", ROOM, ALICE, MESSAGE, ordering, "second words"));
            return null;
        });
        Map<String, Long> rooms = Map.of(ROOM, Long.MAX_VALUE);
        assertEquals(List.of(), ids(query(List.of("first"), rooms, EventSearch.Order.RANK), 0, 10));
        assertEquals(List.of("$a"), ids(query(List.of("second"), rooms, EventSearch.Order.RANK), 0, 10));
    }

    @Test
    default void theIndexedPositionSurvivesReopening() {
        assertEquals(0L, (long) store().read(tx -> tx.eventSearch().indexedUpTo()));
        write(tx -> {
            tx.eventSearch().setIndexedUpTo(42);
            return null;
        });
        reopenStore();
        assertEquals(42L, (long) store().read(tx -> tx.eventSearch().indexedUpTo()));
    }

    @Test
    default void aQueryWithoutTermsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> query(List.of(), Map.of(), EventSearch.Order.RANK));
        assertThrows(IllegalArgumentException.class, () -> query(List.of(" "), Map.of(), EventSearch.Order.RANK));
    }

    @Test
    default void sentMembersAreKeptPerDeviceAndRoomUntilCleared() {
        write(tx -> {
            tx.sentMembers().add(ALICE, "DEV1", ROOM, List.of("$m1", "$m2"));
            tx.sentMembers().add(ALICE, "DEV1", ROOM, List.of("$m2"));
            tx.sentMembers().add(ALICE, "DEV2", ROOM, List.of("$m3"));
            return null;
        });
        assertEquals(Set.of("$m1", "$m2"), store().read(tx -> tx.sentMembers().sent(ALICE, "DEV1", ROOM)));
        assertEquals(Set.of(), store().read(tx -> tx.sentMembers().sent(ALICE, "DEV1", "!other:example.onion")));
        assertEquals(2, writeCount(tx -> tx.sentMembers().clear(ALICE, "DEV1")));
        assertEquals(Set.of(), store().read(tx -> tx.sentMembers().sent(ALICE, "DEV1", ROOM)));
        assertEquals(Set.of("$m3"), store().read(tx -> tx.sentMembers().sent(ALICE, "DEV2", ROOM)));
    }
}
