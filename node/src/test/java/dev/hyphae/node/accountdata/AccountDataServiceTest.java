package dev.hyphae.node.accountdata;

import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Account;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountDataServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserId ALICE = UserId.parse("@alice:example.onion");
    private static final UserId BOB = UserId.parse("@bob:example.onion");
    private static final String ROOM = "!room:example.onion";

    @TempDir
    Path directory;
    private Store store;
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private AccountDataService service;

    @BeforeEach
    void open() {
        store = SqliteStore.openInDirectory(directory);
        store.write(tx -> {
            tx.accounts().create(new Account(ALICE.toString(), null, 1L, false, false));
            return tx.accounts().create(new Account(BOB.toString(), null, 1L, false, false));
        }).join();
        service = new AccountDataService(store, (user, position) -> heard.add(user + "@" + position));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void globalAndRoomAccountDataAreSeparate() throws Exception {
        service.setGlobal(ALICE, "org.example.config", json("{\"a\":1}")).join();
        service.setForRoom(ALICE, ROOM, "org.example.config", json("{\"r\":1}")).join();
        assertEquals(json("{\"a\":1}"), service.getGlobal(ALICE, "org.example.config"));
        assertEquals(json("{\"r\":1}"), service.getForRoom(ALICE, ROOM, "org.example.config"));
        AccountDataException missing = assertThrows(AccountDataException.class,
                () -> service.getGlobal(BOB, "org.example.config"));
        assertEquals("M_NOT_FOUND", missing.errcode());
        assertEquals(404, missing.httpStatus());
    }

    @Test
    void serverManagedTypesAreRefusedWith405BadJsonGloballyAndPerRoom() {
        for (String type : List.of("m.fully_read", "m.push_rules")) {
            AccountDataException global = assertThrows(AccountDataException.class,
                    () -> service.setGlobal(ALICE, type, JSON.createObjectNode()));
            assertEquals("M_BAD_JSON", global.errcode());
            assertEquals(405, global.httpStatus());
            AccountDataException room = assertThrows(AccountDataException.class,
                    () -> service.setForRoom(ALICE, ROOM, type, JSON.createObjectNode()));
            assertEquals("M_BAD_JSON", room.errcode());
            assertEquals(405, room.httpStatus());
        }
    }

    @Test
    void serverManagedTypesCanStillBeWrittenByTheServerAndReadByClients() throws Exception {
        store.write(tx -> service.setInTransaction(tx, ALICE.toString(), ROOM, "m.fully_read",
                json("{\"event_id\":\"$e\"}"))).join();
        assertEquals(json("{\"event_id\":\"$e\"}"), service.getForRoom(ALICE, ROOM, "m.fully_read"));
    }

    @Test
    void malformedRoomIdIsRefusedWithInvalidParam() {
        AccountDataException thrown = assertThrows(AccountDataException.class,
                () -> service.setForRoom(ALICE, "@notaroom:example.org", "x.y", JSON.createObjectNode()));
        assertEquals("M_INVALID_PARAM", thrown.errcode());
        assertEquals(400, thrown.httpStatus());
        assertEquals("M_INVALID_PARAM", assertThrows(AccountDataException.class,
                () -> service.getForRoom(ALICE, "room", "x.y")).errcode());
    }

    @Test
    void changesSinceAPositionHoldOnlyLaterChangesOfThatUserWithTheLatestContent() throws Exception {
        long start = service.currentPosition();
        service.setGlobal(ALICE, "a.one", json("{\"v\":1}")).join();
        long afterFirst = service.currentPosition();
        service.setForRoom(ALICE, ROOM, "m.tag", json("{\"tags\":{\"u.work\":{}}}")).join();
        service.setGlobal(BOB, "a.one", json("{\"v\":9}")).join();
        service.setGlobal(ALICE, "a.two", json("{\"v\":2}")).join();
        service.setGlobal(ALICE, "a.two", json("{\"v\":3}")).join();

        AccountDataChanges all = service.changesSince(ALICE, start);
        assertEquals(List.of(json("{\"type\":\"a.one\",\"content\":{\"v\":1}}"),
                json("{\"type\":\"a.two\",\"content\":{\"v\":3}}")), all.global());
        assertEquals(List.of(json("{\"type\":\"m.tag\",\"content\":{\"tags\":{\"u.work\":{}}}}")), all.rooms().get(ROOM));
        assertEquals(service.currentPosition(), all.position());

        AccountDataChanges later = service.changesSince(ALICE, afterFirst);
        assertEquals(List.of("a.two"), later.global().stream().map(e -> e.get("type").asText()).toList());
        assertTrue(service.changesSince(ALICE, all.position()).isEmpty());
    }

    @Test
    void listenerHearsEachCommittedChangeWithItsPosition() throws Exception {
        long position = service.setGlobal(ALICE, "a.one", json("{}")).join();
        assertEquals(List.of(ALICE + "@" + position), heard);
    }

    @Test
    void emptyOrOverlongTypeIsRefused() {
        assertEquals("M_INVALID_PARAM", assertThrows(AccountDataException.class,
                () -> service.setGlobal(ALICE, "", JSON.createObjectNode())).errcode());
        assertEquals("M_INVALID_PARAM", assertThrows(AccountDataException.class,
                () -> service.setGlobal(ALICE, "x".repeat(256), JSON.createObjectNode())).errcode());
    }
}
