package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyBackupEndpointsTest {
    private static final String VERSION = "/_matrix/client/v3/room_keys/version";
    private static final String KEYS = "/_matrix/client/v3/room_keys/keys";
    private static final String ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";
    private static final String ROOM = "!room1:localhost";
    private static final String OTHER_ROOM = "!room2:localhost";

    @TempDir
    Path dataDir;

    private TestNode node;
    private E2eeUser alice;
    private E2eeUser bob;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir, false);
        alice = E2eeUser.create(node, "alice", "pw");
        bob = E2eeUser.create(node, "bob", "pw2");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static String versionBody(String algorithm, String publicKey) {
        return "{\"algorithm\": \"" + algorithm + "\", \"auth_data\": {\"public_key\": \"" + publicKey + "\"}}";
    }

    private String createVersion(String publicKey) {
        TestNode.Reply reply = node.post(VERSION, versionBody(ALGORITHM, publicKey), alice.token());
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body().get("version").asText();
    }

    private static ObjectNode keyData(int firstMessageIndex, String ciphertext) {
        ObjectNode data = E2eeUser.JSON.objectNode();
        data.put("first_message_index", firstMessageIndex);
        data.put("forwarded_count", 0);
        data.put("is_verified", false);
        data.putObject("session_data").put("ephemeral", "eph").put("ciphertext", ciphertext).put("mac", "mac");
        return data;
    }

    private TestNode.Reply put(String path, JsonNode body) {
        return node.send("PUT", path, TestNode.json(body), alice.token());
    }

    private TestNode.Reply ok(TestNode.Reply reply) {
        assertEquals(200, reply.status(), reply.body().toString());
        return reply;
    }

    @Test
    void withoutABackupTheLatestVersionIsNotFound() {
        TestNode.Reply reply = node.get(VERSION, alice.token());
        assertEquals(404, reply.status(), reply.body().toString());
        assertEquals("M_NOT_FOUND", reply.errcode());
    }

    @Test
    void keysMakeARoundTripThroughTheBackup() {
        String version = createVersion("pk1");
        JsonNode described = ok(node.get(VERSION, alice.token())).body();
        assertEquals(version, described.get("version").asText());
        assertEquals(ALGORITHM, described.get("algorithm").asText());
        assertEquals("pk1", described.path("auth_data").path("public_key").asText());
        assertEquals(0, described.get("count").asInt());
        String q = "?version=" + version;

        ObjectNode all = E2eeUser.JSON.objectNode();
        all.putObject("rooms").putObject(ROOM).putObject("sessions").set("s1", keyData(5, "c1"));
        JsonNode first = ok(put(KEYS + q, all)).body();
        assertEquals(1, first.get("count").asInt());
        ObjectNode room = E2eeUser.JSON.objectNode();
        room.putObject("sessions").set("s3", keyData(0, "c3"));
        ok(put(KEYS + "/" + OTHER_ROOM + q, room));
        JsonNode third = ok(put(KEYS + "/" + ROOM + "/s2" + q, keyData(0, "c2"))).body();
        assertEquals(3, third.get("count").asInt());
        assertNotEquals(first.get("etag").asText(), third.get("etag").asText());

        JsonNode rooms = ok(node.get(KEYS + q, alice.token())).body().get("rooms");
        assertEquals(2, rooms.path(ROOM).path("sessions").size());
        assertEquals("c3", rooms.path(OTHER_ROOM).path("sessions").path("s3").path("session_data").path("ciphertext").asText());
        assertEquals(2, ok(node.get(KEYS + "/" + ROOM + q, alice.token())).body().get("sessions").size());
        assertEquals(0, ok(node.get(KEYS + "/!empty:localhost" + q, alice.token())).body().get("sessions").size());
        assertEquals("c1", ok(node.get(KEYS + "/" + ROOM + "/s1" + q, alice.token())).body()
                .path("session_data").path("ciphertext").asText());
        assertEquals("M_NOT_FOUND", node.get(KEYS + "/" + ROOM + "/nope" + q, alice.token()).errcode());

        // A key that decrypts fewer messages does not replace the stored one; one that decrypts more does.
        ok(put(KEYS + "/" + ROOM + "/s1" + q, keyData(9, "worse")));
        assertEquals("c1", node.get(KEYS + "/" + ROOM + "/s1" + q, alice.token()).body()
                .path("session_data").path("ciphertext").asText());
        ok(put(KEYS + "/" + ROOM + "/s1" + q, keyData(1, "better")));
        assertEquals("better", node.get(KEYS + "/" + ROOM + "/s1" + q, alice.token()).body()
                .path("session_data").path("ciphertext").asText());

        assertEquals(2, ok(node.send("DELETE", KEYS + "/" + ROOM + "/s2" + q, null, alice.token())).body()
                .get("count").asInt());
        assertEquals(1, ok(node.send("DELETE", KEYS + "/" + ROOM + q, null, alice.token())).body().get("count").asInt());
        assertEquals(0, ok(node.send("DELETE", KEYS + q, null, alice.token())).body().get("count").asInt());
        assertEquals(0, ok(node.get(VERSION + "/" + version, alice.token())).body().get("count").asInt());
    }

    @Test
    void keysGoOnlyToTheLatestVersion() {
        String old = createVersion("pk1");
        String latest = createVersion("pk2");
        assertEquals(latest, ok(node.get(VERSION, alice.token())).body().get("version").asText());
        ObjectNode all = E2eeUser.JSON.objectNode();
        all.putObject("rooms").putObject(ROOM).putObject("sessions").set("s1", keyData(0, "c1"));
        TestNode.Reply stale = put(KEYS + "?version=" + old, all);
        assertEquals(403, stale.status(), stale.body().toString());
        assertEquals("M_WRONG_ROOM_KEYS_VERSION", stale.errcode());
        assertEquals(latest, stale.body().get("current_version").asText());
        ok(put(KEYS + "?version=" + latest, all));
    }

    @Test
    void aVersionIsUpdatedAndDeleted() {
        String version = createVersion("pk1");
        TestNode.Reply otherAlgorithm = node.send("PUT", VERSION + "/" + version,
                versionBody("m.other", "pk1"), alice.token());
        assertEquals(400, otherAlgorithm.status(), otherAlgorithm.body().toString());
        ok(node.send("PUT", VERSION + "/" + version, versionBody(ALGORITHM, "pk9"), alice.token()));
        assertEquals("pk9", ok(node.get(VERSION + "/" + version, alice.token())).body()
                .path("auth_data").path("public_key").asText());
        ok(node.send("DELETE", VERSION + "/" + version, null, alice.token()));
        assertEquals("M_NOT_FOUND", node.get(VERSION + "/" + version, alice.token()).errcode());
        assertEquals("M_NOT_FOUND", node.get(VERSION, alice.token()).errcode());
        assertEquals("M_NOT_FOUND", node.send("DELETE", VERSION + "/" + version, null, alice.token()).errcode());
        assertEquals("M_NOT_FOUND", node.get(VERSION + "/not-a-number", alice.token()).errcode());
    }

    @Test
    void anotherUsersBackupIsInvisible() {
        String version = createVersion("pk1");
        assertEquals("M_NOT_FOUND", node.get(VERSION + "/" + version, bob.token()).errcode());
        assertEquals("M_NOT_FOUND", node.get(VERSION, bob.token()).errcode());
        assertEquals("M_NOT_FOUND", node.get(KEYS + "?version=" + version, bob.token()).errcode());
        TestNode.Reply write = node.send("PUT", KEYS + "/" + ROOM + "/s1?version=" + version,
                TestNode.json(keyData(0, "x")), bob.token());
        assertEquals("M_NOT_FOUND", write.errcode());
        assertEquals("M_NOT_FOUND", node.send("DELETE", VERSION + "/" + version, null, bob.token()).errcode());
    }

    @Test
    void malformedRequestsAndMissingTokensAreRefused() {
        String version = createVersion("pk1");
        assertEquals("M_MISSING_PARAM", node.get(KEYS, alice.token()).errcode());
        assertEquals("M_MISSING_PARAM", node.send("PUT", KEYS + "/" + ROOM + "/s1",
                TestNode.json(keyData(0, "x")), alice.token()).errcode());
        assertEquals("M_NOT_JSON", node.post(VERSION, "{", alice.token()).errcode());
        assertEquals("M_MISSING_PARAM", node.post(VERSION, "{\"algorithm\": \"" + ALGORITHM + "\"}", alice.token())
                .errcode());
        TestNode.Reply badData = node.send("PUT", KEYS + "/" + ROOM + "/s1?version=" + version,
                "{\"first_message_index\": \"one\"}", alice.token());
        assertEquals(400, badData.status(), badData.body().toString());
        assertEquals("M_MISSING_TOKEN", node.get(VERSION, null).errcode());
        assertEquals("M_MISSING_TOKEN", node.get(KEYS + "?version=" + version, null).errcode());
    }
}
