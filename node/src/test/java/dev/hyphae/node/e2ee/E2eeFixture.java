package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.identifier.ServerName;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.node.signing.UnpaddedBase64;
import dev.hyphae.store.Account;
import dev.hyphae.store.Device;
import dev.hyphae.store.Store;
import dev.hyphae.store.sqlite.SqliteStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A real SQLite store in a temporary directory, the services on it, and real Ed25519 keys. */
abstract class E2eeFixture {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String SERVER = "example.org";
    static final String ALICE = "@alice:example.org";
    static final String BOB = "@bob:example.org";
    static final String REMOTE = "@carol:remote.example";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dataDirectory;

    Store store;
    EndToEndEncryption e2ee;
    final List<String> events = new ArrayList<>();
    RemoteKeys remoteKeys = RemoteKeys.unavailable();

    @BeforeEach
    void openStore() {
        store = SqliteStore.openInDirectory(dataDirectory);
        RemoteKeys delegate = new RemoteKeys() {
            @Override
            public CompletableFuture<ObjectNode> queryKeys(String serverName, ObjectNode request) {
                return remoteKeys.queryKeys(serverName, request);
            }

            @Override
            public CompletableFuture<ObjectNode> claimKeys(String serverName, ObjectNode request) {
                return remoteKeys.claimKeys(serverName, request);
            }
        };
        e2ee = new EndToEndEncryption(store, ServerName.parse(SERVER), delegate,
                new E2eeListener() {
                    @Override
                    public void toDeviceMessage(String userId, String deviceId, long position) {
                        synchronized (events) {
                            events.add("to-device " + userId + " " + deviceId + " " + position);
                        }
                    }

                    @Override
                    public void deviceListChanged(String userId, long position) {
                        synchronized (events) {
                            events.add("device-list " + userId + " " + position);
                        }
                    }
                }, Clock.systemUTC());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    void createUser(String userId, String... deviceIds) {
        store.write(tx -> {
            tx.accounts().create(new Account(userId, "hash", 1L, false, false));
            for (String deviceId : deviceIds) {
                tx.devices().insert(new Device(userId, deviceId, "Device " + deviceId, null, null));
            }
            return null;
        }).join();
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

    static ObjectNode deviceKeys(String userId, String deviceId, SigningKey deviceKey) {
        ObjectNode keys = JSON.objectNode();
        keys.put("user_id", userId);
        keys.put("device_id", deviceId);
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys")
                .put("curve25519:" + deviceId, "curve" + deviceId)
                .put("ed25519:" + deviceId, publicKey(deviceKey));
        return sign(keys, userId, "ed25519:" + deviceId, deviceKey);
    }

    static ObjectNode signedOneTimeKey(String userId, String deviceId, SigningKey deviceKey, String key, boolean fallback) {
        ObjectNode object = JSON.objectNode().put("key", key);
        if (fallback) {
            object.put("fallback", true);
        }
        return sign(object, userId, "ed25519:" + deviceId, deviceKey);
    }

    static ObjectNode crossSigningKey(String userId, String usage, SigningKey key) {
        ObjectNode object = JSON.objectNode();
        object.put("user_id", userId);
        object.putArray("usage").add(usage);
        object.putObject("keys").put("ed25519:" + publicKey(key), publicKey(key));
        return object;
    }

    /** Uploads the device's keys. */
    void uploadDeviceKeys(String userId, String deviceId, SigningKey deviceKey) {
        ObjectNode body = JSON.objectNode();
        body.set("device_keys", deviceKeys(userId, deviceId, deviceKey));
        e2ee.keyUploads().upload(userId, deviceId, body).join();
    }

    /** Cross-signing keys of one user: master, self-signing and user-signing, the latter two signed by master. */
    record CrossSigningSet(SigningKey master, SigningKey selfSigning, SigningKey userSigning, ObjectNode body) {
    }

    static CrossSigningSet crossSigningSet(String userId) {
        SigningKey master = newKey();
        SigningKey selfSigning = newKey();
        SigningKey userSigning = newKey();
        ObjectNode body = JSON.objectNode();
        body.set("master_key", crossSigningKey(userId, "master", master));
        body.set("self_signing_key", sign(crossSigningKey(userId, "self_signing", selfSigning), userId,
                "ed25519:" + publicKey(master), master));
        body.set("user_signing_key", sign(crossSigningKey(userId, "user_signing", userSigning), userId,
                "ed25519:" + publicKey(master), master));
        return new CrossSigningSet(master, selfSigning, userSigning, body);
    }

    /** Asserts the future fails with an E2eeException of the error code, and returns it. */
    static E2eeException failsWith(String errcode, CompletableFuture<?> future) {
        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        E2eeException failure = assertInstanceOf(E2eeException.class, thrown.getCause());
        assertEquals(errcode, failure.errcode(), failure.getMessage());
        return failure;
    }

    /** JSON equality that ignores how Jackson stores numbers (int or long nodes). */
    static void assertJson(com.fasterxml.jackson.databind.JsonNode expected, com.fasterxml.jackson.databind.JsonNode actual) {
        assertEquals(expected.toString(), actual == null ? null : actual.toString());
    }

    static E2eeException throwsWith(String errcode, Runnable call) {
        E2eeException failure = assertThrows(E2eeException.class, call::run);
        assertEquals(errcode, failure.errcode(), failure.getMessage());
        return failure;
    }
}
