package dev.hyphae.node.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.node.signing.UnpaddedBase64;
import java.security.SecureRandom;

/** A logged-in device with a real Ed25519 device key, and the signed key objects clients upload. */
record E2eeUser(String userId, String deviceId, String token, SigningKey deviceKey) {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();

    static E2eeUser create(TestNode node, String localpart, String password) {
        String token = node.userWithToken(localpart, password);
        return loggedIn(node, token);
    }

    static E2eeUser loggedIn(TestNode node, String token) {
        TestNode.Reply whoami = node.get("/_matrix/client/v3/account/whoami", token);
        return new E2eeUser(whoami.body().get("user_id").asText(), whoami.body().get("device_id").asText(), token,
                newKey());
    }

    static SigningKey newKey() {
        byte[] seed = new byte[SigningKey.SEED_LENGTH];
        RANDOM.nextBytes(seed);
        return SigningKey.fromSeed("ed25519:test", seed);
    }

    static String publicKey(SigningKey key) {
        return UnpaddedBase64.encode(key.publicKey());
    }

    /** Signs {@code object} with {@code key}, filing the signature under {@code user} and {@code keyId}. */
    static ObjectNode sign(ObjectNode object, String user, String keyId, SigningKey key) {
        JsonSigning.addSignature(object, user, keyId, JsonSigning.signature(object, key));
        return object;
    }

    ObjectNode deviceKeys() {
        ObjectNode keys = JSON.objectNode();
        keys.put("user_id", userId);
        keys.put("device_id", deviceId);
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys")
                .put("curve25519:" + deviceId, "curve" + deviceId)
                .put("ed25519:" + deviceId, publicKey(deviceKey));
        return sign(keys, userId, "ed25519:" + deviceId, deviceKey);
    }

    ObjectNode signedKey(String key, boolean fallback) {
        ObjectNode object = JSON.objectNode().put("key", key);
        if (fallback) {
            object.put("fallback", true);
        }
        return sign(object, userId, "ed25519:" + deviceId, deviceKey);
    }

    /** A cross-signing key object of this user; unsigned. */
    ObjectNode crossSigningKey(String usage, SigningKey key) {
        ObjectNode object = JSON.objectNode();
        object.put("user_id", userId);
        object.putArray("usage").add(usage);
        object.putObject("keys").put("ed25519:" + publicKey(key), publicKey(key));
        return object;
    }

    /** Uploads the device keys, with {@code oneTimeKeys} one-time keys and one fallback key. */
    void uploadKeys(TestNode node, int oneTimeKeys) {
        ObjectNode body = JSON.objectNode();
        body.set("device_keys", deviceKeys());
        ObjectNode otks = body.putObject("one_time_keys");
        for (int i = 0; i < oneTimeKeys; i++) {
            otks.set("signed_curve25519:OTK" + i, signedKey("otk" + deviceId + i, false));
        }
        body.putObject("fallback_keys").set("signed_curve25519:FB0", signedKey("fallback" + deviceId, true));
        TestNode.Reply reply = node.post("/_matrix/client/v3/keys/upload", TestNode.json(body), token);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(oneTimeKeys, reply.body().path("one_time_key_counts").path("signed_curve25519").asInt(0));
    }
}
