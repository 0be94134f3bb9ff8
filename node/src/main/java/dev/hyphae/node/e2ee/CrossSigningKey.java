package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.VerifyKey;
import dev.hyphae.store.CrossSigningKeys.Usage;

import java.util.Map;
import java.util.Objects;

/**
 * A cross-signing key (CrossSigningKey schema), checked: it names its user, lists its usage, and
 * holds exactly one key {@code "ed25519:<public key>": "<public key>"}.
 *
 * @param publicKey the unpadded base64 public key, which is also its ID within the user
 * @param json      the object without {@code unsigned}, as stored
 */
record CrossSigningKey(String userId, Usage usage, String publicKey, VerifyKey verifyKey, ObjectNode json) {
    CrossSigningKey {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(json, "json");
    }

    /** The key ID signatures by this key are filed under. */
    String keyId() {
        return "ed25519:" + publicKey;
    }

    static CrossSigningKey check(ObjectNode uploaded, String userId, Usage usage, String field) {
        ObjectNode json = uploaded.deepCopy();
        json.remove("unsigned");
        if (!userId.equals(JsonFields.requiredString(json, "user_id"))) {
            throw E2eeException.invalidParam(field + ".user_id must be " + userId);
        }
        JsonNode usages = json.get("usage");
        boolean listed = false;
        if (usages == null || !usages.isArray()) {
            throw E2eeException.badJson(field + ".usage must be an array of strings");
        }
        for (JsonNode name : usages) {
            listed |= usage.specName().equals(name.asText());
        }
        if (!listed) {
            throw E2eeException.invalidParam(field + ".usage must include " + usage.specName());
        }
        ObjectNode keys = JsonFields.requiredObject(json, "keys");
        if (keys.size() != 1) {
            throw E2eeException.invalidParam(field + ".keys must hold exactly one key");
        }
        Map.Entry<String, JsonNode> key = keys.fields().next();
        if (!key.getValue().isTextual() || !key.getKey().equals("ed25519:" + key.getValue().textValue())) {
            throw E2eeException.invalidParam(field + ".keys must map \"ed25519:<public key>\" to the same public key");
        }
        String publicKey = key.getValue().textValue();
        VerifyKey verifyKey = Ed25519Signatures.publicKey(publicKey, field);
        JsonFields.canonical(json);
        return new CrossSigningKey(userId, usage, publicKey, verifyKey, json);
    }

    /** A key read back from the store, where it was checked on upload. */
    static CrossSigningKey stored(String userId, Usage usage, String json) {
        return check(JsonFields.parseStored(json), userId, usage, usage.specName());
    }

    /** Whether this is the same key, ignoring signatures. */
    boolean sameKeyAs(CrossSigningKey other) {
        ObjectNode mine = json.deepCopy();
        ObjectNode theirs = other.json.deepCopy();
        mine.remove("signatures");
        theirs.remove("signatures");
        return mine.equals(theirs);
    }
}
