package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.store.CrossSigningKeys.Usage;
import dev.hyphae.store.Device;
import dev.hyphae.store.KeySignature;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /keys/query}: the device keys and cross-signing keys of users, local ones from the
 * store and remote ones through {@link RemoteKeys}. Also the federation-side answer for local users.
 */
public final class KeyQueries {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Store store;
    private final LocalUsers localUsers;
    private final RemoteKeys remoteKeys;

    KeyQueries(Store store, LocalUsers localUsers, RemoteKeys remoteKeys) {
        this.store = Objects.requireNonNull(store, "store");
        this.localUsers = Objects.requireNonNull(localUsers, "localUsers");
        this.remoteKeys = Objects.requireNonNull(remoteKeys, "remoteKeys");
    }

    /**
     * Answers a {@code /keys/query} request body ({@code device_keys}: user to device IDs, an empty
     * list meaning all devices) for {@code requesterUserId}, with {@code device_keys},
     * {@code master_keys}, {@code self_signing_keys}, {@code user_signing_keys} (the requester's
     * own only) and {@code failures} (servers that could not be asked). Unknown users and devices
     * are simply absent. Throws M_BAD_JSON/M_MISSING_PARAM/M_INVALID_PARAM for a malformed request.
     */
    public CompletableFuture<ObjectNode> query(String requesterUserId, ObjectNode body) {
        Objects.requireNonNull(requesterUserId, "requesterUserId");
        ObjectNode request = JsonFields.requiredObject(body, "device_keys");
        long timeoutMillis = timeoutMillis(body);
        Map<String, List<String>> local = new LinkedHashMap<>();
        Map<String, ObjectNode> remoteByServer = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String userId = entry.getKey();
            List<String> devices = deviceList(userId, entry.getValue());
            if (localUsers.isLocal(userId)) {
                local.put(userId, devices);
            } else {
                ObjectNode forServer = remoteByServer.computeIfAbsent(LocalUsers.serverOf(userId),
                        server -> JSON.objectNode().set("device_keys", JSON.objectNode()));
                ((ObjectNode) forServer.get("device_keys")).set(userId, entry.getValue());
            }
        }
        ObjectNode response = JSON.objectNode();
        ObjectNode failures = response.putObject("failures");
        ObjectNode localKeys = store.read(tx -> localKeys(tx, requesterUserId, local));
        response.setAll(localKeys);
        List<CompletableFuture<Void>> remote = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> server : remoteByServer.entrySet()) {
            remote.add(askServer(server.getKey(), server.getValue())
                    .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .handle((answer, failure) -> {
                        synchronized (response) {
                            if (failure != null) {
                                failures.set(server.getKey(), failureOf(failure));
                            } else {
                                mergeRemote(response, answer);
                            }
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(remote.toArray(CompletableFuture[]::new))
                .thenApply(done -> remoteByServer.isEmpty() ? response : withOwnSignatures(requesterUserId, response));
    }

    /**
     * Adds to remote users' master keys the signatures the requester made on them with its
     * user-signing key, which are kept here and only shown to the requester.
     */
    private ObjectNode withOwnSignatures(String requesterUserId, ObjectNode response) {
        ObjectNode masterKeys = (ObjectNode) response.get("master_keys");
        return store.read(tx -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = masterKeys.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (localUsers.isLocal(entry.getKey()) || !entry.getValue().isObject()) {
                    continue;
                }
                JsonNode keys = entry.getValue().get("keys");
                if (keys == null || !keys.isObject() || keys.size() != 1) {
                    continue;
                }
                String publicKey = keys.elements().next().asText();
                ObjectNode key = (ObjectNode) entry.getValue();
                for (KeySignature signature : tx.keySignatures().onKey(entry.getKey(), publicKey)) {
                    if (signature.signerUserId().equals(requesterUserId)) {
                        JsonSigning.addSignature(key, signature.signerUserId(), signature.signerKeyId(),
                                signature.signature());
                    }
                }
            }
            return response;
        });
    }

    /**
     * The keys of local users for {@code requesterUserId} (local or remote): {@code device_keys},
     * {@code master_keys}, {@code self_signing_keys} and, for the requester itself,
     * {@code user_signing_keys}. This is also the answer to a federation key query.
     */
    public ObjectNode localKeys(String requesterUserId, Map<String, List<String>> devicesByUser) {
        return store.read(tx -> localKeys(tx, requesterUserId, devicesByUser));
    }

    private ObjectNode localKeys(ReadTransaction tx, String requester, Map<String, List<String>> devicesByUser) {
        ObjectNode response = JSON.objectNode();
        ObjectNode deviceKeys = response.putObject("device_keys");
        ObjectNode masterKeys = response.putObject("master_keys");
        ObjectNode selfSigningKeys = response.putObject("self_signing_keys");
        ObjectNode userSigningKeys = response.putObject("user_signing_keys");
        for (Map.Entry<String, List<String>> user : devicesByUser.entrySet()) {
            String userId = user.getKey();
            Set<String> wanted = new HashSet<>(user.getValue());
            ObjectNode devices = deviceKeys.putObject(userId);
            for (Map.Entry<String, String> keys : tx.deviceKeys().forUser(userId).entrySet()) {
                String deviceId = keys.getKey();
                if (!wanted.isEmpty() && !wanted.contains(deviceId)) {
                    continue;
                }
                ObjectNode view = SignedKeyViews.withSignatures(tx, JsonFields.parseStored(keys.getValue()), userId,
                        deviceId, requester);
                Optional<Device> device = tx.devices().get(userId, deviceId);
                if (device.isPresent() && device.get().displayName() != null) {
                    view.putObject("unsigned").put("device_display_name", device.get().displayName());
                }
                devices.set(deviceId, view);
            }
            crossSigningKey(tx, userId, Usage.MASTER, requester).ifPresent(key -> masterKeys.set(userId, key));
            crossSigningKey(tx, userId, Usage.SELF_SIGNING, requester).ifPresent(key -> selfSigningKeys.set(userId, key));
            if (userId.equals(requester)) {
                crossSigningKey(tx, userId, Usage.USER_SIGNING, requester).ifPresent(key -> userSigningKeys.set(userId, key));
            }
        }
        return response;
    }

    private static Optional<ObjectNode> crossSigningKey(ReadTransaction tx, String userId, Usage usage, String viewer) {
        return tx.crossSigningKeys().get(userId, usage).map(json -> {
            CrossSigningKey key = CrossSigningKey.stored(userId, usage, json);
            return SignedKeyViews.withSignatures(tx, key.json(), userId, key.publicKey(), viewer);
        });
    }

    private CompletableFuture<ObjectNode> askServer(String server, ObjectNode request) {
        try {
            CompletableFuture<ObjectNode> answer = remoteKeys.queryKeys(server, request);
            return answer != null ? answer
                    : CompletableFuture.failedFuture(new IllegalStateException("no answer from the federation layer"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Adds a remote server's answer; users it was not asked about are its own business and ignored. */
    private static void mergeRemote(ObjectNode response, ObjectNode answer) {
        if (answer == null) {
            return;
        }
        for (String field : List.of("device_keys", "master_keys", "self_signing_keys")) {
            JsonNode part = answer.get(field);
            if (part != null && part.isObject()) {
                ((ObjectNode) response.get(field)).setAll((ObjectNode) part);
            }
        }
    }

    static ObjectNode failureOf(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        ObjectNode error = JSON.objectNode();
        if (cause instanceof E2eeException e2ee) {
            error.put("errcode", e2ee.errcode());
            error.put("status", e2ee.httpStatus());
        } else {
            error.put("errcode", "M_UNKNOWN");
            error.put("status", 503);
        }
        error.put("message", cause instanceof TimeoutException ? "the server did not answer in time"
                : String.valueOf(cause.getMessage()));
        return error;
    }

    /** The default of the spec for the {@code timeout} of /keys/query and /keys/claim. */
    static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
    /** Longer waits are cut to this, so one request cannot hold a client for minutes. */
    static final long MAX_TIMEOUT_MILLIS = 60_000;

    /**
     * The request's {@code timeout}: how long to wait for other servers, in milliseconds;
     * {@value #DEFAULT_TIMEOUT_MILLIS} when absent.
     */
    static long timeoutMillis(ObjectNode body) {
        JsonNode timeout = body.get("timeout");
        if (timeout == null || timeout.isNull()) {
            return DEFAULT_TIMEOUT_MILLIS;
        }
        if (!timeout.canConvertToLong() || !timeout.isIntegralNumber() || timeout.asLong() < 0) {
            throw E2eeException.badJson("timeout must be a non-negative integer of milliseconds");
        }
        return Math.max(1, Math.min(MAX_TIMEOUT_MILLIS, timeout.asLong()));
    }

    private static List<String> deviceList(String userId, JsonNode devices) {
        if (devices == null || !devices.isArray()) {
            throw E2eeException.badJson("device_keys." + userId + " must be an array of device IDs");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode device : devices) {
            if (!device.isTextual()) {
                throw E2eeException.badJson("device_keys." + userId + " must be an array of device IDs");
            }
            list.add(device.textValue());
        }
        return list;
    }
}
