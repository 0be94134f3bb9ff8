package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.signing.SigningKey;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossSigningEndpointsTest {
    private static final String DEVICE_SIGNING = "/_matrix/client/v3/keys/device_signing/upload";
    private static final String SIGNATURES = "/_matrix/client/v3/keys/signatures/upload";
    private static final String QUERY = "/_matrix/client/v3/keys/query";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SpecResponseSchemas SCHEMAS = SpecResponseSchemas.load();

    @TempDir
    Path dataDir;

    private TestNode node;
    private E2eeUser alice;
    private E2eeUser bob;

    /** A user's master, self-signing and user-signing keys, the latter two signed by the master. */
    private record SigningKeys(SigningKey master, SigningKey selfSigning, SigningKey userSigning, ObjectNode body) {
        static SigningKeys of(E2eeUser user) {
            SigningKey master = E2eeUser.newKey();
            SigningKey selfSigning = E2eeUser.newKey();
            SigningKey userSigning = E2eeUser.newKey();
            String masterKeyId = "ed25519:" + E2eeUser.publicKey(master);
            ObjectNode body = E2eeUser.JSON.objectNode();
            body.set("master_key", user.crossSigningKey("master", master));
            body.set("self_signing_key", E2eeUser.sign(user.crossSigningKey("self_signing", selfSigning),
                    user.userId(), masterKeyId, master));
            body.set("user_signing_key", E2eeUser.sign(user.crossSigningKey("user_signing", userSigning),
                    user.userId(), masterKeyId, master));
            return new SigningKeys(master, selfSigning, userSigning, body);
        }
    }

    @BeforeEach
    void start() {
        node = new TestNode(dataDir, false);
        alice = E2eeUser.create(node, "alice", "pw");
        bob = E2eeUser.create(node, "bob", "pw2");
        alice.uploadKeys(node, 0);
        bob.uploadKeys(node, 0);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void publish(E2eeUser user, SigningKeys keys) {
        TestNode.Reply reply = node.post(DEVICE_SIGNING, TestNode.json(keys.body()), user.token());
        assertEquals(200, reply.status(), reply.body().toString());
    }

    private JsonNode query(E2eeUser asker, E2eeUser about) {
        TestNode.Reply reply = node.post(QUERY, "{\"device_keys\": {\"" + about.userId() + "\": []}}", asker.token());
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    private TestNode.Reply uploadSignatures(E2eeUser signer, String targetUser, String keyId, ObjectNode signed) {
        ObjectNode body = E2eeUser.JSON.objectNode();
        body.putObject(targetUser).set(keyId, signed);
        TestNode.Reply reply = node.post(SIGNATURES, TestNode.json(body), signer.token());
        assertEquals(200, reply.status(), reply.body().toString());
        return reply;
    }

    @Test
    void publishedSigningKeysAndSignaturesAreSeenByOtherUsers() {
        SigningKeys aliceKeys = SigningKeys.of(alice);
        SigningKeys bobKeys = SigningKeys.of(bob);
        publish(alice, aliceKeys);
        publish(bob, bobKeys);
        String selfSigningId = "ed25519:" + E2eeUser.publicKey(aliceKeys.selfSigning());
        ObjectNode device = E2eeUser.sign(alice.deviceKeys(), alice.userId(), selfSigningId, aliceKeys.selfSigning());
        assertEquals(0, uploadSignatures(alice, alice.userId(), alice.deviceId(), device).body().path("failures").size());
        String bobMaster = E2eeUser.publicKey(bobKeys.master());
        String userSigningId = "ed25519:" + E2eeUser.publicKey(aliceKeys.userSigning());
        ObjectNode bobMasterSigned = E2eeUser.sign(bob.crossSigningKey("master", bobKeys.master()), alice.userId(),
                userSigningId, aliceKeys.userSigning());
        assertEquals(0, uploadSignatures(alice, bob.userId(), bobMaster, bobMasterSigned).body().path("failures").size());

        JsonNode seenByBob = query(bob, alice);
        assertTrue(seenByBob.path("master_keys").has(alice.userId()), seenByBob.toString());
        assertTrue(seenByBob.path("self_signing_keys").has(alice.userId()), seenByBob.toString());
        assertFalse(seenByBob.path("user_signing_keys").has(alice.userId()), seenByBob.toString());
        assertTrue(seenByBob.path("device_keys").path(alice.userId()).path(alice.deviceId()).path("signatures")
                .path(alice.userId()).has(selfSigningId), seenByBob.toString());
        JsonNode seenByAlice = query(alice, bob);
        assertTrue(seenByAlice.path("master_keys").path(bob.userId()).path("signatures").path(alice.userId())
                .has(userSigningId), seenByAlice.toString());
        assertTrue(query(alice, alice).path("user_signing_keys").has(alice.userId()));
    }

    @Test
    void replacingTheMasterKeyNeedsThePassword() throws IOException {
        publish(alice, SigningKeys.of(alice));
        SigningKeys replacement = SigningKeys.of(alice);
        // The spec's OpenAPI file lists no 401 for this endpoint although its text requires
        // user-interactive authentication, so the challenge is checked against the schema of the
        // authentication response of another endpoint that uses it.
        HttpResponse<String> challenge = node.sendRaw(HttpRequest.newBuilder(node.base.resolve(DEVICE_SIGNING))
                .header("Authorization", "Bearer " + alice.token())
                .POST(HttpRequest.BodyPublishers.ofString(TestNode.json(replacement.body()))).build());
        assertEquals(401, challenge.statusCode(), challenge.body());
        JsonNode challengeBody = JSON.readTree(challenge.body());
        assertTrue(SCHEMAS.schemaFor("DELETE", "/_matrix/client/v3/devices/X", 401).validate(challengeBody).isEmpty(),
                challenge.body());
        assertEquals("m.login.password", challengeBody.path("flows").path(0).path("stages").path(0).asText());
        String session = challengeBody.get("session").asText();
        ObjectNode body = replacement.body().deepCopy();
        body.putObject("auth").put("type", "m.login.password").put("password", "wrong").put("session", session)
                .putObject("identifier").put("type", "m.id.user").put("user", "alice");
        assertEquals(401, node.post(DEVICE_SIGNING, TestNode.json(body), alice.token()).status());
        ((ObjectNode) body.get("auth")).put("password", "pw");
        TestNode.Reply done = node.post(DEVICE_SIGNING, TestNode.json(body), alice.token());
        assertEquals(200, done.status(), done.body().toString());
        String newMaster = E2eeUser.publicKey(replacement.master());
        assertTrue(query(bob, alice).path("master_keys").path(alice.userId()).path("keys")
                .has("ed25519:" + newMaster));
    }

    @Test
    void republishingTheSameKeysNeedsNoPassword() {
        SigningKeys keys = SigningKeys.of(alice);
        publish(alice, keys);
        publish(alice, keys);
    }

    @Test
    void aSelfSigningKeyNotSignedByTheMasterIsRefused() {
        SigningKeys keys = SigningKeys.of(alice);
        keys.body().set("self_signing_key", alice.crossSigningKey("self_signing", keys.selfSigning()));
        TestNode.Reply reply = node.post(DEVICE_SIGNING, TestNode.json(keys.body()), alice.token());
        assertEquals(400, reply.status(), reply.body().toString());
        assertEquals("M_INVALID_SIGNATURE", reply.errcode());
    }

    @Test
    void signingAnotherUsersDeviceIsAFailureOfThatKey() {
        SigningKeys aliceKeys = SigningKeys.of(alice);
        publish(alice, aliceKeys);
        String selfSigningId = "ed25519:" + E2eeUser.publicKey(aliceKeys.selfSigning());
        ObjectNode bobDevice = E2eeUser.sign(bob.deviceKeys(), alice.userId(), selfSigningId, aliceKeys.selfSigning());
        TestNode.Reply reply = uploadSignatures(alice, bob.userId(), bob.deviceId(), bobDevice);
        assertTrue(reply.body().path("failures").path(bob.userId()).has(bob.deviceId()), reply.body().toString());
    }

    @Test
    void malformedRequestsAndMissingTokensAreRefused() {
        assertEquals("M_NOT_JSON", node.post(DEVICE_SIGNING, "", alice.token()).errcode());
        assertEquals("M_BAD_JSON", node.post(DEVICE_SIGNING, "{\"master_key\": 1}", alice.token()).errcode());
        assertEquals("M_BAD_JSON", node.post(SIGNATURES, "[1]", alice.token()).errcode());
        assertEquals("M_MISSING_TOKEN", node.post(DEVICE_SIGNING, "{}", null).errcode());
        assertEquals("M_MISSING_TOKEN", node.post(SIGNATURES, "{}", null).errcode());
    }
}
