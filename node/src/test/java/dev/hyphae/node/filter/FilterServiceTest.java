package dev.hyphae.node.filter;

import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Account;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilterServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserId ALICE = UserId.parse("@alice:example.onion");
    private static final UserId BOB = UserId.parse("@bob:example.onion");

    @TempDir
    Path directory;
    private Store store;
    private FilterService service;

    @BeforeEach
    void open() {
        store = SqliteStore.openInDirectory(directory);
        store.write(tx -> {
            tx.accounts().create(new Account(ALICE.toString(), null, 1L, false, false));
            return tx.accounts().create(new Account(BOB.toString(), null, 1L, false, false));
        }).join();
        service = new FilterService(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createdFilterIsReturnedAsUploadedUnderItsId() throws Exception {
        var json = JSON.readTree("{\"room\":{\"timeline\":{\"limit\":10}},\"org.example.extra\":true}");
        String id = service.create(ALICE, json).join();
        assertFalse(id.startsWith("{"));
        assertEquals(json, service.getJson(ALICE, id));
        assertEquals(10, service.resolve(ALICE, id).room().timeline().events().limit().getAsInt());
        assertNotEquals(id, service.create(ALICE, JSON.readTree("{}")).join());
    }

    @Test
    void filtersOfOtherUsersAndUnknownIdsAreNotFound() throws Exception {
        String id = service.create(ALICE, JSON.readTree("{}")).join();
        FilterException thrown = assertThrows(FilterException.class, () -> service.getJson(BOB, id + "0"));
        assertEquals("M_NOT_FOUND", thrown.errcode());
        assertEquals(404, thrown.httpStatus());
        assertEquals("M_NOT_FOUND", assertThrows(FilterException.class, () -> service.resolve(ALICE, "abc")).errcode());
    }

    @Test
    void invalidFilterIsRefusedAndNotStored() throws Exception {
        assertEquals("M_INVALID_PARAM", assertThrows(FilterException.class,
                () -> service.create(ALICE, JSON.readTree("{\"room\":{\"timeline\":{\"limit\":-1}}}"))).errcode());
        assertEquals("M_NOT_FOUND", assertThrows(FilterException.class, () -> service.getJson(ALICE, "0")).errcode());
    }

    @Test
    void inlineFiltersAreParsedAndMissingFilterMeansTheDefault() {
        assertEquals(3, service.resolve(ALICE, "{\"room\":{\"timeline\":{\"limit\":3}}}").room().timeline().events()
                .limit().getAsInt());
        assertEquals("M_BAD_JSON", assertThrows(FilterException.class, () -> service.resolve(ALICE, "{nope")).errcode());
        assertSame(Filter.DEFAULT, service.resolve(ALICE, null));
    }
}
