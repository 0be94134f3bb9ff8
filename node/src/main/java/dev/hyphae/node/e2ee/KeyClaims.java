package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.store.FallbackKey;
import dev.hyphae.store.OneTimeKey;
import dev.hyphae.store.Store;
import dev.hyphae.store.WriteTransaction;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /keys/claim}: hands out one key per requested device and algorithm, a one-time key
 * while any is left (each exactly once: the claim is one unit on the store's single writer), else
 * the device's fallback key, which is then reported as used.
 */
public final class KeyClaims {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Store store;
    private final LocalUsers localUsers;
    private final RemoteKeys remoteKeys;
    private final E2eeListener listener;

    KeyClaims(Store store, LocalUsers localUsers, RemoteKeys remoteKeys, E2eeListener listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.localUsers = Objects.requireNonNull(localUsers, "localUsers");
        this.remoteKeys = Objects.requireNonNull(remoteKeys, "remoteKeys");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Answers a {@code /keys/claim} request body ({@code one_time_keys}: user to device to
     * algorithm) with {@code one_time_keys} (user to device to key ID to key) and {@code failures}.
     * Devices without a key of the algorithm are absent from the answer. Fails with M_BAD_JSON or
     * M_INVALID_PARAM for a malformed request.
     */
    public CompletableFuture<ObjectNode> claim(ObjectNode body) {
        Map<String, Map<String, String>> local = new LinkedHashMap<>();
        Map<String, ObjectNode> remoteByServer = new LinkedHashMap<>();
        long timeoutMillis;
        try {
            timeoutMillis = KeyQueries.timeoutMillis(body);
            ObjectNode request = JsonFields.requiredObject(body, "one_time_keys");
            for (Iterator<Map.Entry<String, JsonNode>> users = request.fields(); users.hasNext(); ) {
                Map.Entry<String, JsonNode> user = users.next();
                Map<String, String> algorithms = algorithmsByDevice(user.getKey(), user.getValue());
                if (localUsers.isLocal(user.getKey())) {
                    local.put(user.getKey(), algorithms);
                } else {
                    ObjectNode forServer = remoteByServer.computeIfAbsent(LocalUsers.serverOf(user.getKey()),
                            server -> JSON.objectNode().set("one_time_keys", JSON.objectNode()));
                    ((ObjectNode) forServer.get("one_time_keys")).set(user.getKey(), user.getValue());
                }
            }
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return claimLocal(local).thenCompose(claimed -> {
            ObjectNode response = JSON.objectNode();
            response.set("one_time_keys", claimed);
            ObjectNode keys = claimed;
            ObjectNode failures = response.putObject("failures");
            List<CompletableFuture<Void>> remote = new ArrayList<>();
            for (Map.Entry<String, ObjectNode> server : remoteByServer.entrySet()) {
                remote.add(askServer(server.getKey(), server.getValue())
                        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handle((answer, failure) -> {
                    synchronized (response) {
                        if (failure != null) {
                            failures.set(server.getKey(), KeyQueries.failureOf(failure));
                        } else if (answer != null && answer.path("one_time_keys").isObject()) {
                            keys.setAll((ObjectNode) answer.get("one_time_keys"));
                        }
                    }
                    return null;
                }));
            }
            return CompletableFuture.allOf(remote.toArray(CompletableFuture[]::new)).thenApply(done -> response);
        });
    }

    /** Claims keys of local devices in one unit: the federation-side answer for local users. */
    public CompletableFuture<ObjectNode> claimLocal(Map<String, Map<String, String>> algorithmsByDeviceByUser) {
        Objects.requireNonNull(algorithmsByDeviceByUser, "algorithmsByDeviceByUser");
        return store.write(tx -> {
            ObjectNode claimed = JSON.objectNode();
            for (Map.Entry<String, Map<String, String>> user : algorithmsByDeviceByUser.entrySet()) {
                for (Map.Entry<String, String> device : user.getValue().entrySet()) {
                    claimOne(tx, user.getKey(), device.getKey(), device.getValue()).ifPresent(key -> {
                        ObjectNode forUser = claimed.has(user.getKey())
                                ? (ObjectNode) claimed.get(user.getKey()) : claimed.putObject(user.getKey());
                        forUser.putObject(device.getKey()).set(key.keyId(), JsonFields.parseStoredValue(key.keyJson()));
                    });
                }
            }
            return claimed;
        });
    }

    private Optional<OneTimeKey> claimOne(WriteTransaction tx, String userId, String deviceId, String algorithm) {
        Optional<OneTimeKey> oneTime = tx.oneTimeKeys().claim(userId, deviceId, algorithm);
        if (oneTime.isPresent()) {
            tx.afterCommit(() -> listener.oneTimeKeysChanged(userId, deviceId));
            return oneTime;
        }
        Optional<FallbackKey> fallback = tx.fallbackKeys().get(userId, deviceId, algorithm);
        if (fallback.isEmpty()) {
            return Optional.empty();
        }
        if (!fallback.get().used()) {
            tx.fallbackKeys().markUsed(userId, deviceId, algorithm);
            tx.afterCommit(() -> listener.oneTimeKeysChanged(userId, deviceId));
        }
        return Optional.of(fallback.get().key());
    }

    private CompletableFuture<ObjectNode> askServer(String server, ObjectNode request) {
        try {
            CompletableFuture<ObjectNode> answer = remoteKeys.claimKeys(server, request);
            return answer != null ? answer
                    : CompletableFuture.failedFuture(new IllegalStateException("no answer from the federation layer"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Map<String, String> algorithmsByDevice(String userId, JsonNode devices) {
        if (devices == null || !devices.isObject()) {
            throw E2eeException.badJson("one_time_keys." + userId + " must map device IDs to algorithms");
        }
        Map<String, String> algorithms = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = devices.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> device = it.next();
            if (!device.getValue().isTextual() || device.getValue().textValue().isEmpty()) {
                throw E2eeException.badJson("one_time_keys." + userId + "." + device.getKey() + " must be an algorithm");
            }
            algorithms.put(device.getKey(), device.getValue().textValue());
        }
        return algorithms;
    }
}
