package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.store.CrossSigningKeys.Usage;
import dev.hyphae.store.KeySignature;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;
import dev.hyphae.store.WriteTransaction;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Cross-signing: {@code POST /keys/device_signing/upload} (a user's master, self-signing and
 * user-signing keys) and {@code POST /keys/signatures/upload} (signatures of the user's devices by
 * its self-signing key, of its master key by its devices, and of other users' master keys by its
 * user-signing key).
 */
public final class CrossSigning {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Store store;
    private final DeviceLists deviceLists;
    private final LocalUsers localUsers;

    CrossSigning(Store store, DeviceLists deviceLists, LocalUsers localUsers) {
        this.store = Objects.requireNonNull(store, "store");
        this.deviceLists = Objects.requireNonNull(deviceLists, "deviceLists");
        this.localUsers = Objects.requireNonNull(localUsers, "localUsers");
    }

    /**
     * Whether the upload needs User-Interactive Authentication: only when the user already has a
     * master key and the request carries any key that differs from the stored one of its usage.
     */
    public boolean requiresUserInteractiveAuth(String userId, ObjectNode body) {
        Map<Usage, CrossSigningKey> uploaded = parse(userId, body);
        return store.read(tx -> {
            if (tx.crossSigningKeys().get(userId, Usage.MASTER).isEmpty()) {
                return false;
            }
            for (CrossSigningKey key : uploaded.values()) {
                Optional<String> stored = tx.crossSigningKeys().get(userId, key.usage());
                if (stored.isEmpty() || !stored.get().equals(JsonFields.canonical(key.json()))) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Whether {@code deviceId} is the public key of one of the user's cross-signing keys: a new
     * device must not take such an ID, as clients verify master keys as if they were devices.
     */
    public boolean isCrossSigningPublicKey(String userId, String deviceId) {
        return store.read(tx -> {
            for (Usage usage : Usage.values()) {
                if (stored(tx, userId, usage).map(key -> key.publicKey().equals(deviceId)).orElse(false)) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Publishes the request's {@code master_key}, {@code self_signing_key} and
     * {@code user_signing_key} (each optional). Fails with M_MISSING_PARAM when a self- or
     * user-signing key comes without any master key, M_INVALID_SIGNATURE when one is not signed by
     * the accompanying (else the stored) master key, M_FORBIDDEN when a public key equals one of
     * the user's device IDs, and M_BAD_JSON/M_INVALID_PARAM for malformed keys. UIA is the caller's.
     */
    public CompletableFuture<Void> uploadSigningKeys(String userId, ObjectNode body) {
        Map<Usage, CrossSigningKey> uploaded;
        try {
            uploaded = parse(userId, body);
        } catch (E2eeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.write(tx -> {
            Optional<CrossSigningKey> master = Optional.ofNullable(uploaded.get(Usage.MASTER))
                    .or(() -> stored(tx, userId, Usage.MASTER));
            for (CrossSigningKey key : uploaded.values()) {
                if (tx.devices().get(userId, key.publicKey()).isPresent()) {
                    throw E2eeException.forbidden("the " + key.usage().specName() + " key's public key is a device ID in use");
                }
                if (key.usage() == Usage.MASTER) {
                    continue;
                }
                if (master.isEmpty()) {
                    throw E2eeException.missingParam("no master signing key is available");
                }
                if (!Ed25519Signatures.verify(key.json(), userId, master.get().keyId(), master.get().verifyKey())) {
                    throw E2eeException.invalidSignature("the " + key.usage().specName()
                            + " key is not signed by the master signing key");
                }
            }
            boolean changed = false;
            for (CrossSigningKey key : uploaded.values()) {
                String json = JsonFields.canonical(key.json());
                if (!tx.crossSigningKeys().get(userId, key.usage()).map(json::equals).orElse(false)) {
                    tx.crossSigningKeys().put(userId, key.usage(), json);
                    changed = true;
                }
            }
            if (changed) {
                deviceLists.recordChange(tx, userId, DeviceListChange.of(Set.of(), true));
            }
            return null;
        });
    }

    /**
     * Stores the signatures of a {@code /keys/signatures/upload} body (user to key ID to signed
     * object) made by {@code userId}, and completes with the answer: {@code failures}, user to key
     * ID to an error object ({@code errcode}, {@code error}) for each object refused. Each object
     * must equal the published key apart from its signatures, and carry the signature this user may
     * make on it: by its self-signing key on its devices, by one of its devices on its master key,
     * by its user-signing key on another user's master key.
     */
    public CompletableFuture<ObjectNode> uploadSignatures(String userId, ObjectNode body) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(body, "body");
        return store.write(tx -> {
            ObjectNode failures = JSON.objectNode();
            boolean stored = false;
            // What other servers must hear of: the user's own devices and cross-signing keys signed.
            Set<String> signedDevices = new HashSet<>();
            boolean signedCrossSigningKey = false;
            for (Iterator<Map.Entry<String, JsonNode>> users = body.fields(); users.hasNext(); ) {
                Map.Entry<String, JsonNode> user = users.next();
                if (!user.getValue().isObject()) {
                    failures.putObject(user.getKey());
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> keys = user.getValue().fields(); keys.hasNext(); ) {
                    Map.Entry<String, JsonNode> key = keys.next();
                    try {
                        if (!key.getValue().isObject()) {
                            throw E2eeException.badJson("a signed key object is expected");
                        }
                        signOne(tx, userId, user.getKey(), key.getKey(), (ObjectNode) key.getValue());
                        stored = true;
                        if (userId.equals(user.getKey())) {
                            if (tx.deviceKeys().get(userId, key.getKey()).isPresent()) {
                                signedDevices.add(key.getKey());
                            } else {
                                signedCrossSigningKey = true;
                            }
                        }
                    } catch (E2eeException e) {
                        ObjectNode forUser = failures.has(user.getKey())
                                ? (ObjectNode) failures.get(user.getKey()) : failures.putObject(user.getKey());
                        forUser.putObject(key.getKey()).put("errcode", e.errcode()).put("error", e.getMessage());
                    }
                }
            }
            if (stored) {
                deviceLists.recordChange(tx, userId, DeviceListChange.of(signedDevices, signedCrossSigningKey));
            }
            ObjectNode response = JSON.objectNode();
            response.set("failures", failures);
            return response;
        });
    }

    private void signOne(WriteTransaction tx, String signer, String targetUser, String targetKeyId, ObjectNode signed) {
        if (signer.equals(targetUser)) {
            Optional<String> deviceKeys = tx.deviceKeys().get(signer, targetKeyId);
            if (deviceKeys.isPresent()) {
                requireSameKey(signed, JsonFields.parseStored(deviceKeys.get()));
                CrossSigningKey selfSigning = stored(tx, signer, Usage.SELF_SIGNING)
                        .orElseThrow(() -> E2eeException.invalidSignature("no self-signing key is published"));
                storeSignature(tx, signed, signer, targetKeyId, selfSigning.keyId(), selfSigning);
                return;
            }
            Optional<CrossSigningKey> master = stored(tx, signer, Usage.MASTER);
            if (master.isPresent() && master.get().publicKey().equals(targetKeyId)) {
                requireSameKey(signed, master.get().json());
                signMasterByDevice(tx, signed, signer, targetKeyId);
                return;
            }
            throw E2eeException.notFound("no device or master key " + targetKeyId + " of " + signer);
        }
        CrossSigningKey targetMaster = targetMasterKey(tx, targetUser, targetKeyId, signed);
        requireSameKey(signed, targetMaster.json());
        CrossSigningKey userSigning = stored(tx, signer, Usage.USER_SIGNING)
                .orElseThrow(() -> E2eeException.invalidSignature("no user-signing key is published"));
        storeSignature(tx, signed, targetUser, targetKeyId, userSigning.keyId(), userSigning);
    }

    /**
     * Another user's master key: the stored one for local users. Keys of remote users are not
     * cached yet, so the uploaded object itself must be a well-formed master key with that ID; the
     * signature stays visible to the signer only, so it vouches for nothing to anyone else.
     */
    private CrossSigningKey targetMasterKey(ReadTransaction tx, String targetUser, String targetKeyId, ObjectNode signed) {
        CrossSigningKey master;
        if (localUsers.isLocal(targetUser)) {
            master = stored(tx, targetUser, Usage.MASTER)
                    .orElseThrow(() -> E2eeException.notFound(targetUser + " has no master signing key"));
        } else {
            master = CrossSigningKey.check(signed, targetUser, Usage.MASTER, "master key");
        }
        if (!master.publicKey().equals(targetKeyId)) {
            throw E2eeException.notFound(targetKeyId + " is not the master signing key of " + targetUser);
        }
        return master;
    }

    private void signMasterByDevice(WriteTransaction tx, ObjectNode signed, String userId, String masterKey) {
        JsonNode ownSignatures = signed.path("signatures").path(userId);
        boolean any = false;
        for (Iterator<String> keyIds = ownSignatures.fieldNames(); keyIds.hasNext(); ) {
            String keyId = keyIds.next();
            if (!keyId.startsWith("ed25519:")) {
                continue;
            }
            String deviceId = keyId.substring("ed25519:".length());
            Optional<String> deviceKeys = tx.deviceKeys().get(userId, deviceId);
            if (deviceKeys.isEmpty()) {
                continue;
            }
            String deviceKey = JsonFields.parseStored(deviceKeys.get()).path("keys").path(keyId).asText();
            if (!Ed25519Signatures.verify(signed, userId, keyId, Ed25519Signatures.publicKey(deviceKey, keyId))) {
                throw E2eeException.invalidSignature("the signature by device " + deviceId + " does not verify");
            }
            tx.keySignatures().put(new KeySignature(userId, masterKey, userId, keyId,
                    Ed25519Signatures.signature(signed, userId, keyId)));
            any = true;
        }
        if (!any) {
            throw E2eeException.invalidSignature("no signature by a device of " + userId + " on the master key");
        }
    }

    private static void storeSignature(WriteTransaction tx, ObjectNode signed, String targetUser, String targetKeyId,
                                       String signerKeyId, CrossSigningKey signerKey) {
        String signer = signerKey.userId();
        if (!Ed25519Signatures.hasSignature(signed, signer, signerKeyId)) {
            throw E2eeException.invalidSignature("no signature by " + signerKeyId);
        }
        if (!Ed25519Signatures.verify(signed, signer, signerKeyId, signerKey.verifyKey())) {
            throw E2eeException.invalidSignature("the signature by " + signerKeyId + " does not verify");
        }
        tx.keySignatures().put(new KeySignature(targetUser, targetKeyId, signer, signerKeyId,
                Ed25519Signatures.signature(signed, signer, signerKeyId)));
    }

    /** The signed object must be the published key: the same signed bytes. */
    private static void requireSameKey(ObjectNode signed, ObjectNode published) {
        if (!Arrays.equals(JsonSigning.signedBytes(signed), JsonSigning.signedBytes(published))) {
            throw E2eeException.invalidParam("the signed object differs from the published key");
        }
    }

    private static Optional<CrossSigningKey> stored(ReadTransaction tx, String userId, Usage usage) {
        return tx.crossSigningKeys().get(userId, usage).map(json -> CrossSigningKey.stored(userId, usage, json));
    }

    private static Map<Usage, CrossSigningKey> parse(String userId, ObjectNode body) {
        Map<Usage, CrossSigningKey> keys = new LinkedHashMap<>();
        JsonFields.optionalObject(body, "master_key")
                .ifPresent(key -> keys.put(Usage.MASTER, CrossSigningKey.check(key, userId, Usage.MASTER, "master_key")));
        JsonFields.optionalObject(body, "self_signing_key").ifPresent(key -> keys.put(Usage.SELF_SIGNING,
                CrossSigningKey.check(key, userId, Usage.SELF_SIGNING, "self_signing_key")));
        JsonFields.optionalObject(body, "user_signing_key").ifPresent(key -> keys.put(Usage.USER_SIGNING,
                CrossSigningKey.check(key, userId, Usage.USER_SIGNING, "user_signing_key")));
        return keys;
    }
}
