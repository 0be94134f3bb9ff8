package dev.hyphae.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.store.EventSearch;
import dev.hyphae.store.NewEvent;
import dev.hyphae.store.Room;
import dev.hyphae.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventIndexerTest {
    private static final String ROOM = "!room:remote.onion";
    private static final String SENDER = "@eve:remote.onion";

    @TempDir
    Path dataDir;

    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.openInDirectory(dataDir);
        store.write(tx -> tx.rooms().insert(new Room(ROOM, "12", 1L))).join();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Stores an event as the federation path does: straight into the events table. */
    private void storeEvent(String eventId, String type, String stateKey, String content, boolean outlier) {
        String json = "{\"type\":\"" + type + "\",\"sender\":\"" + SENDER + "\",\"content\":" + content + "}";
        store.write(tx -> tx.events().insert(new NewEvent(eventId, ROOM, type, stateKey, SENDER, 1, 1_000, json,
                outlier, null, List.of(), List.of()))).join();
    }

    private boolean indexed(String eventId) {
        return store.read(tx -> tx.eventSearch().contains(eventId));
    }

    @Test
    void messagesNamesAndTopicsAreIndexedWhateverPathStoredThem() {
        storeEvent("$msg", "m.room.message", null, "{\"msgtype\":\"m.text\",\"body\":\"hello\"}", false);
        storeEvent("$name", "m.room.name", "", "{\"name\":\"Hall\"}", false);
        storeEvent("$topic", "m.room.topic", "", """
                {"topic":"plain","m.topic":{"m.text":[{"body":"<b>rich</b>","mimetype":"text/html"},{"body":"rich"}]}}""",
                false);
        new EventIndexer(store).catchUp().join();
        assertTrue(indexed("$msg") && indexed("$name") && indexed("$topic"));
        List<EventSearch.SearchHit> hits = store.read(tx -> tx.eventSearch().search(new EventSearch.SearchQuery(
                List.of("rich"), Map.of(ROOM, Long.MAX_VALUE), Set.of("m.room.topic"), Optional.empty(),
                EventSearch.Order.RANK, Optional.empty()), 0, 10));
        assertEquals(1, hits.size());
    }

    @Test
    void encryptedOtherTypesAndEmptyBodiesAreNotIndexed() {
        storeEvent("$enc", "m.room.encrypted", null, "{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"ciphertext\":\"abc\"}",
                false);
        storeEvent("$member", "m.room.member", SENDER, "{\"membership\":\"join\",\"displayname\":\"Eve\"}", false);
        storeEvent("$redacted", "m.room.message", null, "{}", false);
        EventIndexer indexer = new EventIndexer(store);
        indexer.catchUp().join();
        assertFalse(indexed("$enc") || indexed("$member") || indexed("$redacted"));
        long newest = store.read(tx -> tx.events().maxStreamOrdering());
        long indexedUpTo = store.read(tx -> tx.eventSearch().indexedUpTo());
        assertEquals(newest, indexedUpTo);
    }

    @Test
    void anOutlierIsIndexedOnceItJoinsTheTimeline() {
        storeEvent("$out", "m.room.message", null, "{\"body\":\"late arrival\"}", true);
        EventIndexer indexer = new EventIndexer(store);
        indexer.catchUp().join();
        assertFalse(indexed("$out"));
        store.write(tx -> tx.events().markNotOutlier("$out")).join();
        indexer.onNewEvent(ROOM, "$out", 0);
        indexer.catchUp().join();
        assertTrue(indexed("$out"));
    }

    @Test
    void aNewIndexerCatchesUpFromWhereTheLastOneStopped() {
        storeEvent("$one", "m.room.message", null, "{\"body\":\"one\"}", false);
        new EventIndexer(store).catchUp().join();
        store.write(tx -> {
            tx.eventSearch().remove("$one");
            return null;
        }).join();
        storeEvent("$two", "m.room.message", null, "{\"body\":\"two\"}", false);
        new EventIndexer(store).catchUp().join();
        assertFalse(indexed("$one"), "events already considered are not indexed again");
        assertTrue(indexed("$two"));
    }

    @Test
    void moreEventsThanOneBatchAreAllIndexed() {
        store.write(tx -> {
            for (int i = 0; i < EventIndexer.BATCH + 7; i++) {
                tx.events().insert(new NewEvent("$e" + i, ROOM, "m.room.message", null, SENDER, 1, 1_000,
                        "{\"content\":{\"body\":\"word " + i + "\"}}", false, null, List.of(), List.of()));
            }
            return null;
        }).join();
        new EventIndexer(store).catchUp().join();
        assertTrue(indexed("$e0") && indexed("$e" + (EventIndexer.BATCH + 6)));
    }

    @Test
    void removeDropsTheEventFromTheIndex() {
        storeEvent("$gone", "m.room.message", null, "{\"body\":\"bye\"}", false);
        EventIndexer indexer = new EventIndexer(store);
        indexer.catchUp().join();
        assertTrue(indexer.remove("$gone").join());
        assertFalse(indexed("$gone"));
        assertFalse(indexer.remove("$gone").join());
    }
}
