package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.VerifyKey;
import dev.hyphae.store.OneTimeKey;
import dev.hyphae.store.Store;
import dev.hyphae.store.WriteTransaction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /keys/upload}: a device publishes its identity keys, one-time keys and fallback keys;
 * and the per-device counts {@code /sync} reports ({@code device_one_time_keys_count},
 * {@code device_unused_fallback_key_types}).
 */
public final class KeyUploads {
    private final Store store;
    private final DeviceLists deviceLists;
    private final E2eeListener listener;

    public KeyUploads(Store store, DeviceLists deviceLists, E2eeListener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.deviceLists = Objects.requireNonNull(deviceLists, "deviceLists");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Stores the request's {@code device_keys}, {@code one_time_keys} and {@code fallback_keys} for
     * the device, all or nothing, and completes with the {@code one_time_key_counts} of the answer.
     * Fails with M_BAD_JSON/M_MISSING_PARAM for malformed keys, M_INVALID_PARAM when the device keys
     * name another user or device, change the identity keys the device published before, or a
     * one-time key ID is reused with another key, M_INVALID_SIGNATURE when the device keys or a
     * signed one-time key do not carry a valid signature by the device's Ed25519 key, and M_NOT_FOUND
     * when the device does not exist.
     */
    public CompletableFuture<Map<String, Integer>> upload(String userId, String deviceId, ObjectNode body) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(body, "body");
        Optional<UploadedDeviceKeys> deviceKeys;
        List<OneTimeKey> oneTimeKeys;
        List<OneTimeKey> fallbackKeys;
        try {
            deviceKeys = JsonFields.optionalObject(body, "device_keys")
                    .map(keys -> UploadedDeviceKeys.check(keys, userId, deviceId));
            oneTimeKeys = keyList(body, "one_time_keys");
            fallbackKeys = keyList(body, "fallback_keys");
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.write(tx -> {
            if (tx.devices().get(userId, deviceId).isEmpty()) {
                throw E2eeException.notFound("unknown device " + deviceId);
            }
            Optional<VerifyKey> deviceKey = deviceKeys.map(UploadedDeviceKeys::ed25519);
            if (deviceKeys.isPresent()) {
                storeDeviceKeys(tx, deviceKeys.get());
            } else {
                deviceKey = tx.deviceKeys().get(userId, deviceId).map(json -> deviceEd25519(json, deviceId));
            }
            for (OneTimeKey key : oneTimeKeys) {
                checkSignature(key, userId, deviceId, deviceKey);
                Optional<OneTimeKey> existing = tx.oneTimeKeys().get(userId, deviceId, key.keyId());
                if (existing.isPresent() && !existing.get().keyJson().equals(key.keyJson())) {
                    throw E2eeException.invalidParam("one-time key " + key.keyId() + " already exists with another value");
                }
                tx.oneTimeKeys().add(userId, deviceId, key);
            }
            for (OneTimeKey key : fallbackKeys) {
                checkSignature(key, userId, deviceId, deviceKey);
                tx.fallbackKeys().put(userId, deviceId, key);
            }
            if (!oneTimeKeys.isEmpty() || !fallbackKeys.isEmpty()) {
                tx.afterCommit(() -> listener.oneTimeKeysChanged(userId, deviceId));
            }
            return tx.oneTimeKeys().counts(userId, deviceId);
        });
    }

    /** The device's unclaimed one-time keys per algorithm ({@code device_one_time_keys_count}). */
    public Map<String, Integer> oneTimeKeyCounts(String userId, String deviceId) {
        return store.read(tx -> tx.oneTimeKeys().counts(userId, deviceId));
    }

    /** The algorithms with a fallback key not yet handed out ({@code device_unused_fallback_key_types}). */
    public List<String> unusedFallbackKeyTypes(String userId, String deviceId) {
        return List.copyOf(store.read(tx -> tx.fallbackKeys().unusedAlgorithms(userId, deviceId)));
    }

    private void storeDeviceKeys(WriteTransaction tx, UploadedDeviceKeys keys) {
        String json = JsonFields.canonical(keys.json());
        Optional<String> stored = tx.deviceKeys().get(keys.userId(), keys.deviceId());
        if (stored.isPresent()) {
            if (stored.get().equals(json)) {
                return;
            }
            JsonNode storedKeys = JsonFields.parseStored(stored.get()).get("keys");
            if (!keys.identityKeys().equals(storedKeys)) {
                throw E2eeException.invalidParam("device " + keys.deviceId()
                        + " already published other identity keys; a new device ID is needed for new keys");
            }
        }
        if (stored.isEmpty()) {
            // Signatures left from an earlier device with the same ID were made over other keys.
            tx.keySignatures().deleteOnKey(keys.userId(), keys.deviceId());
        }
        tx.deviceKeys().put(keys.userId(), keys.deviceId(), json);
        deviceLists.recordChange(tx, keys.userId(), DeviceListChange.device(keys.deviceId()));
    }

    private static VerifyKey deviceEd25519(String storedJson, String deviceId) {
        return Ed25519Signatures.publicKey(
                JsonFields.parseStored(storedJson).path("keys").path("ed25519:" + deviceId).asText(), "device key");
    }

    /**
     * A key given as a signed object must be signed by the device. Before the device has published
     * its keys there is nothing to check against, and the key is taken as it is.
     */
    private static void checkSignature(OneTimeKey key, String userId, String deviceId, Optional<VerifyKey> deviceKey) {
        JsonNode value = JsonFields.parseStoredValue(key.keyJson());
        if (!value.isObject() || deviceKey.isEmpty()) {
            return;
        }
        if (!Ed25519Signatures.verify((ObjectNode) value, userId, "ed25519:" + deviceId, deviceKey.get())) {
            throw E2eeException.invalidSignature("key " + key.keyId() + " is not signed by the device's key");
        }
    }

    private static List<OneTimeKey> keyList(ObjectNode body, String field) {
        Optional<ObjectNode> keys = JsonFields.optionalObject(body, field);
        List<OneTimeKey> list = new ArrayList<>();
        if (keys.isEmpty()) {
            return list;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = keys.get().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String keyId = entry.getKey();
            int colon = keyId.indexOf(':');
            if (colon <= 0 || colon == keyId.length() - 1) {
                throw E2eeException.badJson(field + " key IDs are <algorithm>:<key ID>, got " + keyId);
            }
            JsonNode value = entry.getValue();
            if (!value.isTextual() && !value.isObject()) {
                throw E2eeException.badJson(field + "." + keyId + " must be a string or a signed object");
            }
            if (value.isObject()) {
                ObjectNode object = ((ObjectNode) value).deepCopy();
                object.remove("unsigned");
                value = object;
            }
            list.add(new OneTimeKey(keyId, JsonFields.canonical(value)));
        }
        return list;
    }
}
