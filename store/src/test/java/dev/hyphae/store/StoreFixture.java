package dev.hyphae.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the contract tests need from a backend's test, and the helpers they share. */
public interface StoreFixture {
    String ROOM = "!room:example.onion";
    String ALICE = "@alice:example.onion";

    /** The store open for the current test. */
    Store store();

    /** Opens a new store on this test's database; every call opens the same database. */
    Store openStore();

    /** Closes the current store (idempotent). */
    void closeStore();

    /** Closes the current store if open and opens the same database again as the current store. */
    void reopenStore();

    /** Reads an event's JSON through a new connection that bypasses the store, or empty if absent. */
    Optional<String> readEventJsonOnFreshConnection(String eventId);

    /** With no store open, records in the database a schema version newer than the code knows. */
    void markSchemaNewerThanCode();

    default NewEvent event(String eventId, String roomId, List<String> prevEventIds) {
        return new NewEvent(eventId, roomId, "m.room.message", null, ALICE, 1, 1_700_000_000_000L,
                "{\"event_id\":\"" + eventId + "\"}", false, null, prevEventIds, List.of());
    }

    default NewEvent event(String eventId) {
        return event(eventId, ROOM, List.of());
    }

    default void createRoom(String roomId) {
        store().write(tx -> tx.rooms().insert(new Room(roomId, "12", 1L))).join();
    }

    default <T> T write(WriteUnit<T> unit) {
        return store().write(unit).join();
    }

    default boolean writeFlag(WriteUnit<Boolean> unit) {
        return store().write(unit).join();
    }

    default int writeCount(WriteUnit<Integer> unit) {
        return store().write(unit).join();
    }

    default boolean readFlag(ReadUnit<Boolean> unit) {
        return store().read(unit);
    }

    /** The exception a future failed with, unwrapped. */
    default Throwable failureOf(CompletableFuture<?> future) {
        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        return thrown.getCause();
    }
}
