package dev.hyphae.node.e2ee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.UnpaddedBase64;
import dev.hyphae.node.signing.VerifyKey;

/**
 * Checks one named signature on a signed JSON object. Device and cross-signing key IDs
 * ({@code ed25519:<device ID>}, {@code ed25519:<unpadded base64 public key>}) need not follow the
 * server key ID grammar, so the key is looked up by the caller and only its bytes are used here.
 */
final class Ed25519Signatures {
    /** The key ID VerifyKey carries; the real key ID is the caller's. */
    private static final String ANY_KEY_ID = "ed25519:e2ee";

    private Ed25519Signatures() {
    }

    /** The public key from its unpadded base64 form, refused with M_INVALID_PARAM when it is not one. */
    static VerifyKey publicKey(String base64, String what) {
        try {
            return VerifyKey.fromBytes(ANY_KEY_ID, UnpaddedBase64.decode(base64));
        } catch (IllegalArgumentException e) {
            throw E2eeException.invalidParam(what + " is not an Ed25519 public key: " + e.getMessage());
        }
    }

    /** True when {@code signatures.<userId>.<keyId>} of the object is present. */
    static boolean hasSignature(ObjectNode object, String userId, String keyId) {
        return signature(object, userId, keyId) != null;
    }

    /** True when {@code signatures.<userId>.<keyId>} is a valid signature of the object by {@code key}. */
    static boolean verify(ObjectNode object, String userId, String keyId, VerifyKey key) {
        String signature = signature(object, userId, keyId);
        if (signature == null) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = UnpaddedBase64.decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return key.verify(JsonSigning.signedBytes(object), bytes);
    }

    /** The signature text, or null when absent or not a string. */
    static String signature(ObjectNode object, String userId, String keyId) {
        JsonNode value = object.path("signatures").path(userId).path(keyId);
        return value.isTextual() ? value.textValue() : null;
    }
}
