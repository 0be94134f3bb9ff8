package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.VerifyKey;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * A device's {@code device_keys} object (DeviceKeys schema), checked: it names the uploading user
 * and device, lists algorithms, holds the device's {@code ed25519:<device ID>} key, and is signed
 * by that key.
 *
 * @param json the object without {@code unsigned}, as stored
 */
record UploadedDeviceKeys(String userId, String deviceId, ObjectNode json, VerifyKey ed25519) {
    UploadedDeviceKeys {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(ed25519, "ed25519");
    }

    static UploadedDeviceKeys check(ObjectNode deviceKeys, String userId, String deviceId) {
        ObjectNode json = deviceKeys.deepCopy();
        json.remove("unsigned");
        if (!userId.equals(JsonFields.requiredString(json, "user_id"))) {
            throw E2eeException.invalidParam("device_keys.user_id must be the uploading user " + userId);
        }
        if (!deviceId.equals(JsonFields.requiredString(json, "device_id"))) {
            throw E2eeException.invalidParam("device_keys.device_id must be the uploading device " + deviceId);
        }
        JsonNode algorithms = json.get("algorithms");
        if (algorithms == null || !algorithms.isArray()) {
            throw E2eeException.badJson("device_keys.algorithms must be an array of strings");
        }
        for (JsonNode algorithm : algorithms) {
            if (!algorithm.isTextual()) {
                throw E2eeException.badJson("device_keys.algorithms must be an array of strings");
            }
        }
        ObjectNode keys = JsonFields.requiredObject(json, "keys");
        for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> key = it.next();
            if (!key.getValue().isTextual() || key.getKey().indexOf(':') <= 0) {
                throw E2eeException.badJson("device_keys.keys maps <algorithm>:<device ID> to a key string");
            }
        }
        String ed25519KeyId = "ed25519:" + deviceId;
        JsonNode ed25519 = keys.get(ed25519KeyId);
        if (ed25519 == null) {
            throw E2eeException.invalidParam("device_keys.keys must hold the device's " + ed25519KeyId + " key");
        }
        VerifyKey key = Ed25519Signatures.publicKey(ed25519.textValue(), ed25519KeyId);
        if (!Ed25519Signatures.verify(json, userId, ed25519KeyId, key)) {
            throw E2eeException.invalidSignature("device_keys is not signed by the device's key " + ed25519KeyId);
        }
        JsonFields.canonical(json);
        return new UploadedDeviceKeys(userId, deviceId, json, key);
    }

    /** The {@code keys} object: the identity keys a device may not change once published. */
    ObjectNode identityKeys() {
        return (ObjectNode) json.get("keys");
    }
}
