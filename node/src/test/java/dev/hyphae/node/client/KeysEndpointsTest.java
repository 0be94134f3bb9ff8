package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysEndpointsTest {
    private static final String UPLOAD = "/_matrix/client/v3/keys/upload";
    private static final String QUERY = "/_matrix/client/v3/keys/query";
    private static final String CLAIM = "/_matrix/client/v3/keys/claim";

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

    private TestNode.Reply claim(E2eeUser claimer, E2eeUser owner) {
        ObjectNode body = E2eeUser.JSON.objectNode();
        body.putObject("one_time_keys").putObject(owner.userId()).put(owner.deviceId(), "signed_curve25519");
        TestNode.Reply reply = node.post(CLAIM, TestNode.json(body), claimer.token());
        assertEquals(200, reply.status(), reply.body().toString());
        return reply;
    }

    @Test
    void usersQueryEachOthersSignedDeviceKeys() {
        alice.uploadKeys(node, 2);
        bob.uploadKeys(node, 2);
        TestNode.Reply byAlice = node.post(QUERY, "{\"device_keys\": {\"" + bob.userId() + "\": []}}", alice.token());
        assertEquals(200, byAlice.status(), byAlice.body().toString());
        JsonNode bobKeys = byAlice.body().path("device_keys").path(bob.userId()).path(bob.deviceId());
        assertEquals(E2eeUser.publicKey(bob.deviceKey()), bobKeys.path("keys").path("ed25519:" + bob.deviceId()).asText());
        assertTrue(bobKeys.path("signatures").path(bob.userId()).has("ed25519:" + bob.deviceId()));
        TestNode.Reply byBob = node.post(QUERY,
                "{\"device_keys\": {\"" + alice.userId() + "\": [\"" + alice.deviceId() + "\"]}}", bob.token());
        assertEquals(E2eeUser.publicKey(alice.deviceKey()), byBob.body().path("device_keys").path(alice.userId())
                .path(alice.deviceId()).path("keys").path("ed25519:" + alice.deviceId()).asText());
    }

    @Test
    void eachOneTimeKeyIsClaimedOnceThenTheFallbackKey() {
        bob.uploadKeys(node, 2);
        Set<String> claimed = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            JsonNode keys = claim(alice, bob).body().path("one_time_keys").path(bob.userId()).path(bob.deviceId());
            assertEquals(1, keys.size(), keys.toString());
            String keyId = keys.fieldNames().next();
            assertTrue(keyId.startsWith("signed_curve25519:OTK"), keyId);
            assertTrue(claimed.add(keyId), "claimed twice: " + keyId);
        }
        JsonNode fallback = claim(alice, bob).body().path("one_time_keys").path(bob.userId()).path(bob.deviceId());
        assertTrue(fallback.has("signed_curve25519:FB0"), fallback.toString());
        assertTrue(fallback.path("signed_curve25519:FB0").path("fallback").asBoolean());
        assertEquals(0, node.e2ee.keyUploads().oneTimeKeyCounts(bob.userId(), bob.deviceId())
                .getOrDefault("signed_curve25519", 0));
        assertTrue(node.e2ee.keyUploads().unusedFallbackKeyTypes(bob.userId(), bob.deviceId()).isEmpty());
    }

    @Test
    void concurrentClaimsNeverHandOutAKeyTwice() throws Exception {
        int keys = 6;
        bob.uploadKeys(node, keys);
        ExecutorService pool = Executors.newFixedThreadPool(keys);
        try {
            List<Future<String>> claims = new ArrayList<>();
            for (int i = 0; i < keys + 2; i++) {
                claims.add(pool.submit(() -> claim(alice, bob).body().path("one_time_keys").path(bob.userId())
                        .path(bob.deviceId()).fieldNames().next()));
            }
            List<String> claimed = new ArrayList<>();
            for (Future<String> claim : claims) {
                claimed.add(claim.get(60, TimeUnit.SECONDS));
            }
            Set<String> oneTimeKeys = new HashSet<>(claimed);
            oneTimeKeys.remove("signed_curve25519:FB0");
            assertEquals(keys, oneTimeKeys.size(), claimed.toString());
            assertEquals(2, claimed.stream().filter("signed_curve25519:FB0"::equals).count(), claimed.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keyChangesNameTheUserWhoseKeysChanged() {
        long before = node.e2ee.deviceLists().currentPosition();
        alice.uploadKeys(node, 0);
        long after = node.e2ee.deviceLists().currentPosition();
        TestNode.Reply changes = node.get("/_matrix/client/v3/keys/changes?from=" + before + "&to=" + after, alice.token());
        assertEquals(200, changes.status(), changes.body().toString());
        assertTrue(changes.body().path("changed").toString().contains(alice.userId()), changes.body().toString());
        assertEquals(400, node.get("/_matrix/client/v3/keys/changes?from=x&to=1", alice.token()).status());
        assertEquals("M_MISSING_PARAM", node.get("/_matrix/client/v3/keys/changes?from=0", alice.token()).errcode());
    }

    @Test
    void deviceKeysNamingAnotherUserAreRefused() {
        ObjectNode keys = alice.deviceKeys();
        keys.put("user_id", bob.userId());
        E2eeUser.sign(keys, bob.userId(), "ed25519:" + alice.deviceId(), alice.deviceKey());
        ObjectNode body = E2eeUser.JSON.objectNode();
        body.set("device_keys", keys);
        TestNode.Reply reply = node.post(UPLOAD, TestNode.json(body), alice.token());
        assertEquals(400, reply.status(), reply.body().toString());
        assertEquals("M_INVALID_PARAM", reply.errcode());
    }

    @Test
    void aForgedDeviceSignatureIsRefused() {
        ObjectNode body = E2eeUser.JSON.objectNode();
        ObjectNode keys = alice.deviceKeys();
        keys.put("device_id", alice.deviceId());
        ((ObjectNode) keys.get("keys")).put("curve25519:" + alice.deviceId(), "changed after signing");
        body.set("device_keys", keys);
        assertEquals("M_INVALID_SIGNATURE", node.post(UPLOAD, TestNode.json(body), alice.token()).errcode());
    }

    @Test
    void malformedRequestsAndMissingTokensAreRefused() {
        assertEquals("M_NOT_JSON", node.post(UPLOAD, "{not json", alice.token()).errcode());
        assertEquals("M_BAD_JSON", node.post(UPLOAD, "[]", alice.token()).errcode());
        assertEquals("M_BAD_JSON", node.post(CLAIM, "{\"one_time_keys\": 5}", alice.token()).errcode());
        TestNode.Reply badQuery = node.post(QUERY, "{\"device_keys\": {\"" + bob.userId() + "\": 7}}", alice.token());
        assertEquals(400, badQuery.status(), badQuery.body().toString());
        assertEquals("M_MISSING_TOKEN", node.post(UPLOAD, "{}", null).errcode());
        assertEquals("M_MISSING_TOKEN", node.post(QUERY, "{\"device_keys\": {}}", null).errcode());
        assertEquals("M_MISSING_TOKEN", node.post(CLAIM, "{\"one_time_keys\": {}}", null).errcode());
        assertEquals("M_MISSING_TOKEN", node.get("/_matrix/client/v3/keys/changes?from=0&to=0", null).errcode());
    }

    @Test
    void theOlderR0PathsAnswerToo() {
        TestNode.Reply reply = node.post("/_matrix/client/r0/keys/upload", "{}", alice.token());
        assertEquals(200, reply.status(), reply.body().toString());
        assertFalse(reply.body().path("one_time_key_counts").isMissingNode());
    }
}
