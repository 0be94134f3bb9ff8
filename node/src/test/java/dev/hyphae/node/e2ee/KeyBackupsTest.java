package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class KeyBackupsTest extends E2eeFixture {
    private static final String ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";
    private static final String ROOM = "!room:example.org";

    private static ObjectNode versionBody(String publicKey) {
        ObjectNode body = JSON.objectNode().put("algorithm", ALGORITHM);
        body.putObject("auth_data").put("public_key", publicKey);
        return body;
    }

    private static ObjectNode keyData(long firstMessageIndex, long forwardedCount, boolean verified, String marker) {
        ObjectNode data = JSON.objectNode();
        data.put("first_message_index", firstMessageIndex);
        data.put("forwarded_count", forwardedCount);
        data.put("is_verified", verified);
        data.putObject("session_data").put("ciphertext", marker);
        return data;
    }

    private String create() {
        return e2ee.keyBackups().createVersion(ALICE, versionBody("pk")).join();
    }

    private String storedMarker(String version) {
        return e2ee.keyBackups().getKeys(ALICE, version, ROOM, "s").path("session_data").path("ciphertext").asText();
    }

    @Test
    void versionLifecycleFromCreateToDelete() {
        throwsWith("M_NOT_FOUND", () -> e2ee.keyBackups().latestVersion(ALICE));
        String first = create();
        String second = e2ee.keyBackups().createVersion(ALICE, versionBody("pk2")).join();

        ObjectNode latest = e2ee.keyBackups().latestVersion(ALICE);
        assertEquals(second, latest.path("version").asText());
        assertEquals(ALGORITHM, latest.path("algorithm").asText());
        assertEquals("pk2", latest.path("auth_data").path("public_key").asText());
        assertEquals(0, latest.path("count").asLong());
        assertEquals(first, e2ee.keyBackups().version(ALICE, first).path("version").asText());

        e2ee.keyBackups().updateVersion(ALICE, first, versionBody("pk3")).join();
        assertEquals("pk3", e2ee.keyBackups().version(ALICE, first).path("auth_data").path("public_key").asText());

        e2ee.keyBackups().deleteVersion(ALICE, second).join();
        assertEquals(first, e2ee.keyBackups().latestVersion(ALICE).path("version").asText());
        throwsWith("M_NOT_FOUND", () -> e2ee.keyBackups().version(ALICE, second));
        failsWith("M_NOT_FOUND", e2ee.keyBackups().deleteVersion(ALICE, second));
        throwsWith("M_NOT_FOUND", () -> e2ee.keyBackups().version(BOB, first));
        throwsWith("M_NOT_FOUND", () -> e2ee.keyBackups().version(ALICE, "not-a-number"));
    }

    @Test
    void updateWithAnotherAlgorithmOrMismatchedVersionIsRefused() {
        String version = create();
        ObjectNode otherAlgorithm = versionBody("pk");
        otherAlgorithm.put("algorithm", "org.example.other");
        failsWith("M_INVALID_PARAM", e2ee.keyBackups().updateVersion(ALICE, version, otherAlgorithm));
        ObjectNode otherVersion = versionBody("pk").put("version", "999");
        failsWith("M_INVALID_PARAM", e2ee.keyBackups().updateVersion(ALICE, version, otherVersion));
        failsWith("M_NOT_FOUND", e2ee.keyBackups().updateVersion(ALICE, "999", versionBody("pk")));
    }

    @Test
    void keysGoOnlyIntoTheLatestVersion() {
        failsWith("M_NOT_FOUND", e2ee.keyBackups().putSessionKey(ALICE, "1", ROOM, "s", keyData(0, 0, false, "a")));
        String old = create();
        String current = create();
        E2eeException wrong = failsWith("M_WRONG_ROOM_KEYS_VERSION",
                e2ee.keyBackups().putSessionKey(ALICE, old, ROOM, "s", keyData(0, 0, false, "a")));
        assertEquals(403, wrong.httpStatus());
        assertEquals(current, wrong.extraFields().get("current_version"));
    }

    @Test
    void storedKeyIsReplacedOnlyByABetterOneFollowingTheSpecOrder() {
        String version = create();
        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(5, 2, false, "first")).join();

        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(6, 0, false, "later index")).join();
        assertEquals("first", storedMarker(version));
        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(5, 3, false, "more forwarded")).join();
        assertEquals("first", storedMarker(version));
        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(5, 1, false, "less forwarded")).join();
        assertEquals("less forwarded", storedMarker(version));
        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(4, 9, false, "earlier index")).join();
        assertEquals("earlier index", storedMarker(version));
        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(90, 90, true, "verified")).join();
        assertEquals("verified", storedMarker(version));
        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(0, 0, false, "unverified")).join();
        assertEquals("verified", storedMarker(version));
    }

    @Test
    void etagChangesOnlyWhenKeysChangeAndCountFollowsTheKeys() {
        String version = create();
        String initialEtag = e2ee.keyBackups().version(ALICE, version).path("etag").asText();

        ObjectNode body = JSON.objectNode();
        ObjectNode sessions = body.putObject("rooms").putObject(ROOM).putObject("sessions");
        sessions.set("s1", keyData(0, 0, false, "1"));
        sessions.set("s2", keyData(0, 0, false, "2"));
        ObjectNode afterPut = e2ee.keyBackups().putKeys(ALICE, version, body).join();
        assertEquals(2, afterPut.path("count").asLong());
        assertNotEquals(initialEtag, afterPut.path("etag").asText());

        ObjectNode unchanged = e2ee.keyBackups().putKeys(ALICE, version, body).join();
        assertEquals(afterPut.path("etag").asText(), unchanged.path("etag").asText(), "no key was replaced");

        ObjectNode afterDelete = e2ee.keyBackups().deleteKeys(ALICE, version, ROOM, "s1").join();
        assertEquals(1, afterDelete.path("count").asLong());
        assertNotEquals(afterPut.path("etag").asText(), afterDelete.path("etag").asText());
        assertEquals(afterDelete.path("etag").asText(), e2ee.keyBackups().version(ALICE, version).path("etag").asText());
    }

    @Test
    void keysAreReadByVersionRoomAndSession() {
        String version = create();
        ObjectNode room = JSON.objectNode();
        room.putObject("sessions").set("s", keyData(1, 2, true, "x"));
        e2ee.keyBackups().putRoomKeys(ALICE, version, ROOM, room).join();

        ObjectNode all = e2ee.keyBackups().getKeys(ALICE, version, null, null);
        assertEquals(keyData(1, 2, true, "x"), all.path("rooms").path(ROOM).path("sessions").path("s"));
        assertEquals(room, e2ee.keyBackups().getKeys(ALICE, version, ROOM, null));
        assertEquals(JSON.objectNode().set("sessions", JSON.objectNode()),
                e2ee.keyBackups().getKeys(ALICE, version, "!empty:example.org", null));
        throwsWith("M_NOT_FOUND", () -> e2ee.keyBackups().getKeys(ALICE, version, ROOM, "missing"));
        throwsWith("M_NOT_FOUND", () -> e2ee.keyBackups().getKeys(ALICE, "12345", null, null));
    }

    @Test
    void malformedKeyDataIsRefused() {
        String version = create();
        ObjectNode data = keyData(0, 0, false, "x");
        data.remove("is_verified");
        failsWith("M_MISSING_PARAM", e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", data));
        ObjectNode negative = keyData(-1, 0, false, "x");
        failsWith("M_INVALID_PARAM", e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", negative));
        ObjectNode noAuthData = JSON.objectNode().put("algorithm", ALGORITHM);
        failsWith("M_MISSING_PARAM", e2ee.keyBackups().createVersion(ALICE, noAuthData));
    }

    @Test
    void deletingAVersionDropsItsKeys() {
        String version = create();
        e2ee.keyBackups().putSessionKey(ALICE, version, ROOM, "s", keyData(0, 0, false, "x")).join();
        e2ee.keyBackups().deleteVersion(ALICE, version).join();
        assertEquals(0L, (long) store.read(tx -> tx.backedUpRoomKeys().count(ALICE, Long.parseLong(version))));
    }
}
