package dev.hyphae.node.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Signing JSON and checking for a signature (appendices, "Signing JSON"): the signed bytes are the
 * canonical JSON of the object without {@code signatures} and {@code unsigned}; signatures live
 * under {@code signatures.<entity>.<key id>} in unpadded base64.
 */
public final class JsonSigning {
    private static final Set<String> NOT_SIGNED = Set.of("signatures", "unsigned");

    private JsonSigning() {
    }

    /** The bytes a signature covers: canonical JSON without {@code signatures} and {@code unsigned}. */
    public static byte[] signedBytes(ObjectNode object) {
        return CanonicalJson.encodeWithout(object, NOT_SIGNED);
    }

    /** The unpadded base64 signature of {@code object} by {@code key}, without adding it anywhere. */
    public static String signature(ObjectNode object, SigningKey key) {
        return UnpaddedBase64.encode(key.sign(signedBytes(object)));
    }

    /**
     * Signs {@code object} in place, adding the signature under {@code signatures.<entity>.<key id>}
     * and keeping signatures already present. Returns the same object.
     */
    public static ObjectNode sign(ObjectNode object, String entity, SigningKey key) {
        String signature = signature(object, key);
        addSignature(object, entity, key.keyId(), signature);
        return object;
    }

    /** Puts one signature under {@code signatures.<entity>.<keyId>}, creating the objects as needed. */
    public static void addSignature(ObjectNode object, String entity, String keyId, String signature) {
        JsonNode signatures = object.get("signatures");
        ObjectNode all = signatures instanceof ObjectNode existing ? existing : object.putObject("signatures");
        JsonNode forEntity = all.get(entity);
        ObjectNode entitySignatures = forEntity instanceof ObjectNode existing ? existing : all.putObject(entity);
        entitySignatures.put(keyId, signature);
    }

    /** Finds the verification key for one signing key identifier of one entity, if known. */
    @FunctionalInterface
    public interface KeyLookup {
        Optional<VerifyKey> find(String entity, String keyId);
    }

    /** Checks that {@code entity} signed {@code object} with {@code key}. */
    public static SignatureCheck verify(ObjectNode object, String entity, VerifyKey key) {
        return verify(object, entity, (e, id) -> id.equals(key.keyId()) ? Optional.of(key) : Optional.empty());
    }

    /**
     * "Checking for a Signature": the entity must have at least one ed25519 signature whose key
     * is known, and every such signature with a known key must verify. Signatures by unknown keys and
     * other algorithms are skipped.
     */
    public static SignatureCheck verify(ObjectNode object, String entity, KeyLookup keys) {
        return verify(object, signedBytes(object), entity, keys);
    }

    /** {@link #verify(ObjectNode, String, KeyLookup)} with the signed bytes already computed. */
    public static SignatureCheck verify(ObjectNode object, byte[] signedBytes, String entity, KeyLookup keys) {
        JsonNode signatures = object.get("signatures");
        if (signatures == null || !signatures.isObject()) {
            return SignatureCheck.invalid("no signatures object");
        }
        JsonNode forEntity = signatures.get(entity);
        if (forEntity == null || !forEntity.isObject()) {
            return SignatureCheck.invalid("no signatures from " + entity);
        }
        int checked = 0;
        boolean anyEd25519 = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = forEntity.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String keyId = entry.getKey();
            if (!keyId.startsWith(KeyId.ED25519_PREFIX)) {
                continue;
            }
            anyEd25519 = true;
            Optional<VerifyKey> key = keys.find(entity, keyId);
            if (key.isEmpty()) {
                continue;
            }
            if (!entry.getValue().isTextual()) {
                return SignatureCheck.invalid("signature " + entity + " " + keyId + " is not a string");
            }
            byte[] signature;
            try {
                signature = UnpaddedBase64.decode(entry.getValue().textValue());
            } catch (IllegalArgumentException e) {
                return SignatureCheck.invalid("signature " + entity + " " + keyId + " is not base64: " + e.getMessage());
            }
            if (!key.get().verify(signedBytes, signature)) {
                return SignatureCheck.invalid("signature " + entity + " " + keyId + " does not verify");
            }
            checked++;
        }
        if (!anyEd25519) {
            return SignatureCheck.invalid("no ed25519 signatures from " + entity);
        }
        if (checked == 0) {
            return SignatureCheck.invalid("no known verification key for the signatures from " + entity);
        }
        return SignatureCheck.ok();
    }
}
