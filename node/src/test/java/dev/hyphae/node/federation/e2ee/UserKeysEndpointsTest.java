package dev.hyphae.node.federation.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.store.CrossSigningKeys;
import dev.hyphae.store.OneTimeKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-server key endpoints for local users, called as another server would. */
class UserKeysEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "remote.example";
    private static final String MASTER = publicKey(1);
    private static final String SELF_SIGNING = publicKey(2);

    @TempDir
    Path directory;

    private FederatedE2eeFixture node;
    private UserKeysEndpoints endpoints;

    @BeforeEach
    void open() {
        node = new FederatedE2eeFixture(directory, (byte) 3);
        endpoints = new UserKeysEndpoints(node.e2ee, node.store, node.server);
        node.registerDevice(node.alice, "PHONE", "Alice's phone");
        node.registerDevice(node.alice, "NOKEYS", null);
        node.store.write(tx -> {
            tx.deviceKeys().put(node.alice, "PHONE", deviceKeys(node.alice, "PHONE"));
            tx.crossSigningKeys().put(node.alice, CrossSigningKeys.Usage.MASTER, crossSigningKey(node.alice, "master", MASTER));
            tx.crossSigningKeys().put(node.alice, CrossSigningKeys.Usage.SELF_SIGNING,
                    crossSigningKey(node.alice, "self_signing", SELF_SIGNING));
            tx.crossSigningKeys().put(node.alice, CrossSigningKeys.Usage.USER_SIGNING,
                    crossSigningKey(node.alice, "user_signing", publicKey(3)));
            tx.oneTimeKeys().add(node.alice, "PHONE", new OneTimeKey("signed_curve25519:AAAA", "{\"key\":\"one\"}"));
            return node.e2ee.deviceLists().recordChange(tx, node.alice);
        }).join();
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static String deviceKeys(String userId, String deviceId) {
        return "{\"algorithms\":[\"m.olm.v1.curve25519-aes-sha2\"],\"device_id\":\"" + deviceId + "\",\"keys\":"
                + "{\"ed25519:" + deviceId + "\":\"edkey\",\"curve25519:" + deviceId + "\":\"curvekey\"},"
                + "\"signatures\":{\"" + userId + "\":{\"ed25519:" + deviceId + "\":\"sig\"}},\"user_id\":\"" + userId + "\"}";
    }

    private static String publicKey(int fill) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) fill);
        byte[] key = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0).generatePublicKey()
                .getEncoded();
        return java.util.Base64.getEncoder().withoutPadding().encodeToString(key);
    }

    private static String crossSigningKey(String userId, String usage, String publicKey) {
        return "{\"keys\":{\"ed25519:" + publicKey + "\":\"" + publicKey + "\"},\"usage\":[\"" + usage + "\"],"
                + "\"user_id\":\"" + userId + "\"}";
    }

    private static MatrixRequest get(String path, Map<String, String> pathParameters) {
        return new MatrixRequest(Method.GET, path, pathParameters, Map.of(), Map.of(), new byte[0], "peer", null);
    }

    private static MatrixRequest post(String path, String body) {
        return new MatrixRequest(Method.POST, path, Map.of(), Map.of(), Map.of("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), "peer", null);
    }

    private static JsonNode json(MatrixResponse response) throws Exception {
        assertEquals(200, response.status());
        return JSON.readTree(response.body());
    }

    private MatrixResponse devices(String userId) {
        return endpoints.devices(ORIGIN, get("/_matrix/federation/v1/user/devices/" + userId, Map.of("userId", userId)));
    }

    @Test
    void userDevicesListsEachDeviceWithKeysItsDisplayNameAndTheCrossSigningKeys() throws Exception {
        JsonNode answer = json(devices(node.alice));
        assertEquals(node.alice, answer.get("user_id").asText());
        assertTrue(answer.get("stream_id").isIntegralNumber());
        assertEquals(1, answer.get("devices").size(), "only devices with keys are listed");
        JsonNode phone = answer.get("devices").get(0);
        assertEquals("PHONE", phone.get("device_id").asText());
        assertEquals("Alice's phone", phone.get("device_display_name").asText());
        assertEquals("edkey", phone.path("keys").path("keys").path("ed25519:PHONE").asText());
        assertFalse(phone.get("keys").has("unsigned"));
        assertEquals(MASTER, answer.path("master_key").path("keys").path("ed25519:" + MASTER).asText());
        assertEquals(SELF_SIGNING, answer.path("self_signing_key").path("keys").path("ed25519:" + SELF_SIGNING).asText());
    }

    @Test
    void userDevicesReportsTheStreamIdOfTheLatestUpdateSentForTheUser() throws Exception {
        assertEquals(0, json(devices(node.alice)).get("stream_id").asLong(), "no update was sent yet");
        node.roomSharedWith("@bob:" + ORIGIN);
        node.e2ee.deviceLists().recordChange(node.alice).join();
        long latest = node.store.read(tx -> tx.deviceListStreamIds().latest(node.alice));
        assertTrue(latest > 0);
        assertEquals(latest, json(devices(node.alice)).get("stream_id").asLong());
    }

    @Test
    void userDevicesOfAUserOfAnotherServerIsRefusedAsAnInvalidParameter() {
        MatrixException refused = assertThrows(MatrixException.class, () -> devices("@bob:" + ORIGIN));
        assertEquals(400, refused.status());
        assertEquals("M_INVALID_PARAM", refused.errcode());
    }

    @Test
    void userDevicesOfSomethingThatIsNoUserIdIsRefusedAsAnInvalidParameter() {
        MatrixException refused = assertThrows(MatrixException.class, () -> devices("alice"));
        assertEquals("M_INVALID_PARAM", refused.errcode());
    }

    @Test
    void userDevicesOfALocalUserWithoutAnAccountIsNotFound() {
        MatrixException refused = assertThrows(MatrixException.class, () -> devices("@nobody:" + node.server));
        assertEquals(404, refused.status());
        assertEquals("M_NOT_FOUND", refused.errcode());
    }

    @Test
    void keyQueryAnswersDeviceAndCrossSigningKeysButNeverTheUserSigningKey() throws Exception {
        JsonNode answer = json(endpoints.query(ORIGIN, post("/_matrix/federation/v1/user/keys/query",
                "{\"device_keys\":{\"" + node.alice + "\":[]}}")));
        assertEquals("curvekey", answer.path("device_keys").path(node.alice).path("PHONE").path("keys")
                .path("curve25519:PHONE").asText());
        assertEquals("Alice's phone", answer.path("device_keys").path(node.alice).path("PHONE").path("unsigned")
                .path("device_display_name").asText());
        assertTrue(answer.path("master_keys").has(node.alice));
        assertTrue(answer.path("self_signing_keys").has(node.alice));
        assertFalse(answer.has("user_signing_keys"));
    }

    @Test
    void keyQueryForNamedDevicesAnswersOnlyThose() throws Exception {
        JsonNode answer = json(endpoints.query(ORIGIN, post("/_matrix/federation/v1/user/keys/query",
                "{\"device_keys\":{\"" + node.alice + "\":[\"OTHER\"]}}")));
        assertEquals(0, answer.path("device_keys").path(node.alice).size());
    }

    @Test
    void keyQueryAboutAUserOfAnotherServerIsRefusedAsAnInvalidParameter() {
        MatrixException refused = assertThrows(MatrixException.class, () -> endpoints.query(ORIGIN,
                post("/_matrix/federation/v1/user/keys/query", "{\"device_keys\":{\"@bob:" + ORIGIN + "\":[]}}")));
        assertEquals(400, refused.status());
        assertEquals("M_INVALID_PARAM", refused.errcode());
    }

    @Test
    void keyQueryWithoutDeviceKeysIsAMissingParameter() {
        MatrixException refused = assertThrows(MatrixException.class, () -> endpoints.query(ORIGIN,
                post("/_matrix/federation/v1/user/keys/query", "{}")));
        assertEquals("M_MISSING_PARAM", refused.errcode());
    }

    @Test
    void keyClaimHandsOutTheOneTimeKeyOnceAndThenNothing() throws Exception {
        String body = "{\"one_time_keys\":{\"" + node.alice + "\":{\"PHONE\":\"signed_curve25519\"}}}";
        JsonNode first = json(endpoints.claim(ORIGIN, post("/_matrix/federation/v1/user/keys/claim", body)));
        assertEquals("one", first.path("one_time_keys").path(node.alice).path("PHONE")
                .path("signed_curve25519:AAAA").path("key").asText());
        JsonNode second = json(endpoints.claim(ORIGIN, post("/_matrix/federation/v1/user/keys/claim", body)));
        assertFalse(second.path("one_time_keys").path(node.alice).has("PHONE"));
    }

    @Test
    void keyClaimForAUserOfAnotherServerIsRefusedAsAnInvalidParameter() {
        MatrixException refused = assertThrows(MatrixException.class, () -> endpoints.claim(ORIGIN,
                post("/_matrix/federation/v1/user/keys/claim",
                        "{\"one_time_keys\":{\"@bob:" + ORIGIN + "\":{\"DEV\":\"signed_curve25519\"}}}")));
        assertEquals("M_INVALID_PARAM", refused.errcode());
    }

    @Test
    void keyClaimWithAnAlgorithmThatIsNoStringIsBadJson() {
        MatrixException refused = assertThrows(MatrixException.class, () -> endpoints.claim(ORIGIN,
                post("/_matrix/federation/v1/user/keys/claim",
                        "{\"one_time_keys\":{\"" + node.alice + "\":{\"PHONE\":5}}}")));
        assertEquals("M_BAD_JSON", refused.errcode());
    }
}
