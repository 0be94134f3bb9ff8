package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.store.BackedUpRoomKey;
import dev.hyphae.store.KeyBackupVersion;
import dev.hyphae.store.ReadTransaction;
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
 * Server-side key backups ({@code /room_keys/version} and {@code /room_keys/keys}): versions with
 * their {@code auth_data}, and per room and session the encrypted key, kept or replaced by the
 * spec's rule. Keys are written only to the user's latest version. Answers carry the spec's
 * {@code etag} (changes whenever the version's keys change) and {@code count}.
 */
public final class KeyBackups {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Store store;

    KeyBackups(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * {@code POST /room_keys/version}: creates a version from {@code algorithm} and
     * {@code auth_data} and completes with its {@code version} string.
     */
    public CompletableFuture<String> createVersion(String userId, ObjectNode body) {
        String algorithm;
        String authData;
        try {
            algorithm = algorithm(body);
            authData = JsonFields.canonical(JsonFields.requiredObject(body, "auth_data"));
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.write(tx -> Long.toString(tx.keyBackupVersions().create(userId, algorithm, authData)));
    }

    /**
     * {@code GET /room_keys/version}: the latest version's {@code algorithm}, {@code auth_data},
     * {@code count}, {@code etag} and {@code version}. Throws M_NOT_FOUND when there is none.
     */
    public ObjectNode latestVersion(String userId) {
        return store.read(tx -> describe(tx, tx.keyBackupVersions().latest(userId)
                .orElseThrow(() -> E2eeException.notFound("no current backup version"))));
    }

    /** {@code GET /room_keys/version/{version}}. Throws M_NOT_FOUND when it does not exist. */
    public ObjectNode version(String userId, String version) {
        return store.read(tx -> describe(tx, existing(tx, userId, version)));
    }

    /**
     * {@code PUT /room_keys/version/{version}}: replaces {@code auth_data}. Fails with M_NOT_FOUND
     * when the version does not exist, M_INVALID_PARAM when {@code algorithm} differs from the
     * version's or a {@code version} in the body differs from the path.
     */
    public CompletableFuture<Void> updateVersion(String userId, String version, ObjectNode body) {
        String algorithm;
        String authData;
        try {
            algorithm = algorithm(body);
            authData = JsonFields.canonical(JsonFields.requiredObject(body, "auth_data"));
            JsonNode bodyVersion = body.get("version");
            if (bodyVersion != null && !bodyVersion.isNull() && !version.equals(bodyVersion.asText())) {
                throw E2eeException.invalidParam("the version in the body does not match the path");
            }
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.write(tx -> {
            KeyBackupVersion existing = existing(tx, userId, version);
            if (!existing.algorithm().equals(algorithm)) {
                throw E2eeException.invalidParam("the algorithm does not match the backup's " + existing.algorithm());
            }
            tx.keyBackupVersions().updateAuthData(userId, existing.version(), authData);
            return null;
        });
    }

    /** {@code DELETE /room_keys/version/{version}}, with its keys. Fails with M_NOT_FOUND when it does not exist. */
    public CompletableFuture<Void> deleteVersion(String userId, String version) {
        return store.write(tx -> {
            tx.keyBackupVersions().delete(userId, existing(tx, userId, version).version());
            return null;
        });
    }

    /**
     * {@code PUT /room_keys/keys?version=}: stores the body's {@code rooms} (room ID to
     * {@code sessions}, session ID to KeyBackupData) and completes with {@code etag} and
     * {@code count}. A session's stored key is replaced only by a better one: a verified key beats
     * an unverified one, then the lower {@code first_message_index} wins, then the lower
     * {@code forwarded_count}. Fails with M_NOT_FOUND when the user has no backup,
     * M_WRONG_ROOM_KEYS_VERSION (with {@code current_version}) when {@code version} is not the
     * latest, M_BAD_JSON/M_MISSING_PARAM for malformed key data.
     */
    public CompletableFuture<ObjectNode> putKeys(String userId, String version, ObjectNode body) {
        List<BackedUpRoomKey> keys = new ArrayList<>();
        try {
            ObjectNode rooms = JsonFields.requiredObject(body, "rooms");
            for (Iterator<Map.Entry<String, JsonNode>> it = rooms.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> room = it.next();
                if (!room.getValue().isObject()) {
                    throw E2eeException.badJson("rooms." + room.getKey() + " must be an object");
                }
                keys.addAll(roomKeys(room.getKey(), (ObjectNode) room.getValue()));
            }
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return putAll(userId, version, keys);
    }

    /** {@code PUT /room_keys/keys/{roomId}?version=}: the body holds {@code sessions}. */
    public CompletableFuture<ObjectNode> putRoomKeys(String userId, String version, String roomId, ObjectNode body) {
        try {
            return putAll(userId, version, roomKeys(roomId, body));
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code PUT /room_keys/keys/{roomId}/{sessionId}?version=}: the body is one KeyBackupData. */
    public CompletableFuture<ObjectNode> putSessionKey(String userId, String version, String roomId, String sessionId,
                                                      ObjectNode body) {
        try {
            return putAll(userId, version, List.of(keyBackupData(roomId, sessionId, body)));
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@code GET /room_keys/keys[/{roomId}[/{sessionId}]]?version=}: with neither room nor session
     * {@code {"rooms": ...}}, with a room {@code {"sessions": ...}} (empty when the room has none),
     * with both the session's KeyBackupData. Throws M_NOT_FOUND when the version or the session
     * does not exist.
     */
    public ObjectNode getKeys(String userId, String version, String roomId, String sessionId) {
        if (roomId == null && sessionId != null) {
            throw new IllegalArgumentException("a session is read within its room");
        }
        return store.read(tx -> {
            long number = existing(tx, userId, version).version();
            if (sessionId != null) {
                return keyBackupData(tx.backedUpRoomKeys().get(userId, number, roomId, sessionId)
                        .orElseThrow(() -> E2eeException.notFound("no key for session " + sessionId)));
            }
            ObjectNode rooms = JSON.objectNode();
            for (BackedUpRoomKey key : tx.backedUpRoomKeys().list(userId, number, roomId)) {
                ObjectNode sessions = rooms.has(key.roomId()) ? (ObjectNode) rooms.get(key.roomId()).get("sessions")
                        : rooms.putObject(key.roomId()).putObject("sessions");
                sessions.set(key.sessionId(), keyBackupData(key));
            }
            if (roomId == null) {
                ObjectNode answer = JSON.objectNode();
                answer.set("rooms", rooms);
                return answer;
            }
            ObjectNode answer = JSON.objectNode();
            answer.set("sessions", rooms.has(roomId) ? rooms.get(roomId).get("sessions") : JSON.objectNode());
            return answer;
        });
    }

    /**
     * {@code DELETE /room_keys/keys[/{roomId}[/{sessionId}]]?version=}: completes with
     * {@code etag} and {@code count}. Fails with M_NOT_FOUND when the version does not exist.
     */
    public CompletableFuture<ObjectNode> deleteKeys(String userId, String version, String roomId, String sessionId) {
        if (roomId == null && sessionId != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a session is deleted within its room"));
        }
        return store.write(tx -> {
            KeyBackupVersion backup = existing(tx, userId, version);
            long etag = backup.etag();
            if (tx.backedUpRoomKeys().delete(userId, backup.version(), roomId, sessionId) > 0) {
                etag = tx.keyBackupVersions().bumpEtag(userId, backup.version());
            }
            return etagAndCount(etag, tx.backedUpRoomKeys().count(userId, backup.version()));
        });
    }

    private CompletableFuture<ObjectNode> putAll(String userId, String version, List<BackedUpRoomKey> keys) {
        return store.write(tx -> {
            KeyBackupVersion latest = tx.keyBackupVersions().latest(userId)
                    .orElseThrow(() -> E2eeException.notFound("no current backup version"));
            if (!Long.toString(latest.version()).equals(version)) {
                throw E2eeException.wrongRoomKeysVersion(Long.toString(latest.version()));
            }
            boolean changed = false;
            for (BackedUpRoomKey key : keys) {
                Optional<BackedUpRoomKey> existing = tx.backedUpRoomKeys()
                        .get(userId, latest.version(), key.roomId(), key.sessionId());
                if (existing.isEmpty() || RoomKeyReplacement.isBetter(key, existing.get())) {
                    tx.backedUpRoomKeys().put(userId, latest.version(), key);
                    changed = true;
                }
            }
            long etag = changed ? tx.keyBackupVersions().bumpEtag(userId, latest.version()) : latest.etag();
            return etagAndCount(etag, tx.backedUpRoomKeys().count(userId, latest.version()));
        });
    }

    private static KeyBackupVersion existing(ReadTransaction tx, String userId, String version) {
        long number;
        try {
            number = Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw E2eeException.notFound("unknown backup version " + version);
        }
        return tx.keyBackupVersions().get(userId, number)
                .orElseThrow(() -> E2eeException.notFound("unknown backup version " + version));
    }

    private static ObjectNode describe(ReadTransaction tx, KeyBackupVersion version) {
        ObjectNode answer = JSON.objectNode();
        answer.put("algorithm", version.algorithm());
        answer.set("auth_data", JsonFields.parseStored(version.authDataJson()));
        answer.put("count", tx.backedUpRoomKeys().count(version.userId(), version.version()));
        answer.put("etag", Long.toString(version.etag()));
        answer.put("version", Long.toString(version.version()));
        return answer;
    }

    private static ObjectNode etagAndCount(long etag, long count) {
        ObjectNode answer = JSON.objectNode();
        answer.put("etag", Long.toString(etag));
        answer.put("count", count);
        return answer;
    }

    private static String algorithm(ObjectNode body) {
        String algorithm = JsonFields.requiredString(body, "algorithm");
        if (algorithm.isEmpty()) {
            throw E2eeException.invalidParam("'algorithm' must not be empty");
        }
        return algorithm;
    }

    private static List<BackedUpRoomKey> roomKeys(String roomId, ObjectNode room) {
        ObjectNode sessions = JsonFields.requiredObject(room, "sessions");
        List<BackedUpRoomKey> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sessions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> session = it.next();
            if (!session.getValue().isObject()) {
                throw E2eeException.badJson("sessions." + session.getKey() + " must be an object");
            }
            keys.add(keyBackupData(roomId, session.getKey(), (ObjectNode) session.getValue()));
        }
        return keys;
    }

    private static BackedUpRoomKey keyBackupData(String roomId, String sessionId, ObjectNode data) {
        long firstMessageIndex = JsonFields.requiredInteger(data, "first_message_index");
        long forwardedCount = JsonFields.requiredInteger(data, "forwarded_count");
        boolean verified = JsonFields.requiredBoolean(data, "is_verified");
        String sessionData = JsonFields.canonical(JsonFields.requiredObject(data, "session_data"));
        if (firstMessageIndex < 0 || forwardedCount < 0) {
            throw E2eeException.invalidParam("first_message_index and forwarded_count must not be negative");
        }
        return new BackedUpRoomKey(roomId, sessionId, firstMessageIndex, forwardedCount, verified, sessionData);
    }

    private static ObjectNode keyBackupData(BackedUpRoomKey key) {
        ObjectNode data = JSON.objectNode();
        data.put("first_message_index", key.firstMessageIndex());
        data.put("forwarded_count", key.forwardedCount());
        data.put("is_verified", key.verified());
        data.set("session_data", JsonFields.parseStored(key.sessionDataJson()));
        return data;
    }
}
