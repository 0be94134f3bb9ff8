package dev.hyphae.node.profile;

import dev.hyphae.node.identifier.UserId;
import dev.hyphae.store.Account;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ProfileServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserId ALICE = UserId.parse("@alice:example.onion");
    private static final UserId NOBODY = UserId.parse("@nobody:example.onion");

    @TempDir
    Path directory;
    private Store store;
    private final List<MemberProfile> propagated = new CopyOnWriteArrayList<>();
    private ProfileService service;

    @BeforeEach
    void open() {
        store = SqliteStore.openInDirectory(directory);
        store.write(tx -> tx.accounts().create(new Account(ALICE.toString(), null, 1L, false, false))).join();
        service = new ProfileService(store, (user, profile) -> propagated.add(profile));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static ProfileException refusal(Executable call) {
        try {
            call.execute();
        } catch (ProfileException e) {
            return e;
        } catch (CompletionException e) {
            return assertInstanceOf(ProfileException.class, e.getCause());
        } catch (Throwable e) {
            fail("expected a profile refusal, got " + e);
        }
        return fail("expected a profile refusal");
    }

    @Test
    void displayNameAvatarAndCustomFieldsAreSetReadAndDeleted() throws Exception {
        assertEquals(json("{}"), service.profile(ALICE));
        service.setField(ALICE, "displayname", json("{\"displayname\":\"Alice\"}")).join();
        service.setField(ALICE, "avatar_url", json("{\"avatar_url\":\"mxc://example.onion/abc123\"}")).join();
        service.setField(ALICE, "m.tz", json("{\"m.tz\":\"Europe/Berlin\"}")).join();
        service.setField(ALICE, "org.example.pronouns", json("{\"org.example.pronouns\":[\"she\",\"her\"]}")).join();
        assertEquals(json("{\"avatar_url\":\"mxc://example.onion/abc123\",\"displayname\":\"Alice\","
                + "\"m.tz\":\"Europe/Berlin\",\"org.example.pronouns\":[\"she\",\"her\"]}"), service.profile(ALICE));
        assertEquals(json("{\"displayname\":\"Alice\"}"), service.field(ALICE, "displayname"));

        service.deleteField(ALICE, "m.tz").join();
        service.deleteField(ALICE, "m.tz").join();
        assertEquals("M_NOT_FOUND", refusal(() -> service.field(ALICE, "m.tz")).errcode());
    }

    @Test
    void changesOfDisplayNameOrAvatarArePropagatedAfterCommitOthersAreNot() throws Exception {
        service.setField(ALICE, "displayname", json("{\"displayname\":\"Alice\"}")).join();
        service.setField(ALICE, "displayname", json("{\"displayname\":\"Alice\"}")).join();
        service.setField(ALICE, "org.example.x", json("{\"org.example.x\":1}")).join();
        service.setField(ALICE, "avatar_url", json("{\"avatar_url\":\"mxc://example.onion/a\"}")).join();
        service.deleteField(ALICE, "displayname").join();
        assertEquals(List.of(new MemberProfile(Optional.of("Alice"), Optional.empty()),
                        new MemberProfile(Optional.of("Alice"), Optional.of("mxc://example.onion/a")),
                        new MemberProfile(Optional.empty(), Optional.of("mxc://example.onion/a"))),
                propagated);
        assertEquals(new MemberProfile(Optional.empty(), Optional.of("mxc://example.onion/a")), service.memberProfile(ALICE));
    }

    @Test
    void badKeysAndValuesAreRefusedWithTheSpecsErrors() throws Exception {
        assertEquals("M_INVALID_PARAM", refusal(() -> service.setField(ALICE, "Nope", json("{\"Nope\":1}"))).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.setField(ALICE, "single", json("{\"single\":1}"))).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.field(ALICE, "org..example")).errcode());
        String longKey = "org.example." + "a".repeat(250);
        assertEquals("M_KEY_TOO_LARGE", refusal(() -> service.setField(ALICE, longKey, JSON.createObjectNode())).errcode());
        assertEquals("M_MISSING_PARAM", refusal(() -> service.setField(ALICE, "displayname", json("{\"avatar_url\":\"x\"}"))).errcode());
        assertEquals("M_BAD_JSON", refusal(() -> service.setField(ALICE, "displayname", json("{\"displayname\":5}"))).errcode());
        assertEquals("M_BAD_JSON", refusal(() -> service.setField(ALICE, "displayname", json("{\"displayname\":null}"))).errcode());
        assertEquals("M_INVALID_PARAM", refusal(() -> service.setField(ALICE, "avatar_url",
                json("{\"avatar_url\":\"https://example.org/a.png\"}"))).errcode());
        assertTrue(propagated.isEmpty());
    }

    @Test
    void profileOver64KibIsRefusedAndNothingIsStored() throws Exception {
        service.setField(ALICE, "org.example.a", json("{\"org.example.a\":\"" + "x".repeat(40_000) + "\"}")).join();
        ProfileException tooLarge = refusal(() -> service.setField(ALICE, "org.example.b",
                json("{\"org.example.b\":\"" + "y".repeat(30_000) + "\"}")).join());
        assertEquals("M_PROFILE_TOO_LARGE", tooLarge.errcode());
        assertEquals(400, tooLarge.httpStatus());
        assertEquals("M_NOT_FOUND", refusal(() -> service.field(ALICE, "org.example.b")).errcode());
    }

    @Test
    void unknownUsersHaveNoProfile() throws Exception {
        assertEquals("M_NOT_FOUND", refusal(() -> service.profile(NOBODY)).errcode());
        assertEquals("M_NOT_FOUND", refusal(() -> service.field(NOBODY, "displayname")).errcode());
        assertEquals("M_NOT_FOUND", refusal(() -> service.setField(NOBODY, "displayname",
                json("{\"displayname\":\"x\"}")).join()).errcode());
    }
}
