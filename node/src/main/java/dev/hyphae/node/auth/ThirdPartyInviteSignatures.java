package dev.hyphae.node.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Member rule "If any signature in signed matches any public key in the m.room.third_party_invite
 * event, allow": Ed25519 signatures of the {@code signed} block (as in "Signing JSON": the canonical
 * JSON of the object without {@code signatures} and {@code unsigned}), checked against the
 * {@code public_key} and every {@code public_keys[].public_key} of the invite event. Keys and
 * signatures are unpadded base64 in the standard or URL-safe alphabet.
 */
final class ThirdPartyInviteSignatures {
    private static final int ED25519_KEY_BYTES = 32;
    private static final int ED25519_SIGNATURE_BYTES = 64;

    private ThirdPartyInviteSignatures() {
    }

    /** True when some signature in {@code signed} verifies under some public key of the invite content. */
    static boolean anySignatureMatches(ObjectNode signed, ObjectNode thirdPartyInviteContent) {
        List<byte[]> keys = publicKeys(thirdPartyInviteContent);
        JsonNode signatures = signed.get("signatures");
        if (keys.isEmpty() || signatures == null || !signatures.isObject()) {
            return false;
        }
        byte[] message = canonicalWithoutSignatures(signed);
        for (JsonNode byServer : signatures) {
            if (!byServer.isObject()) {
                continue;
            }
            for (JsonNode signature : byServer) {
                byte[] sig = signature.isTextual() ? unpaddedBase64(signature.textValue()) : null;
                if (sig == null || sig.length != ED25519_SIGNATURE_BYTES) {
                    continue;
                }
                for (byte[] key : keys) {
                    if (verifies(key, message, sig)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<byte[]> publicKeys(ObjectNode content) {
        List<byte[]> keys = new ArrayList<>();
        addKey(keys, content.get("public_key"));
        JsonNode list = content.get("public_keys");
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                addKey(keys, entry.get("public_key"));
            }
        }
        return keys;
    }

    private static void addKey(List<byte[]> keys, JsonNode encoded) {
        if (encoded != null && encoded.isTextual()) {
            byte[] key = unpaddedBase64(encoded.textValue());
            if (key != null && key.length == ED25519_KEY_BYTES) {
                keys.add(key);
            }
        }
    }

    private static boolean verifies(byte[] key, byte[] message, byte[] signature) {
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(key, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (IllegalArgumentException | IllegalStateException badKey) {
            return false;
        }
    }

    /** Decodes unpadded (or padded) base64 in either alphabet; null when it is not base64. */
    static byte[] unpaddedBase64(String text) {
        try {
            return Base64.getDecoder().decode(text.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    static byte[] canonicalWithoutSignatures(ObjectNode object) {
        StringBuilder out = new StringBuilder();
        writeObject(object, out, true);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Canonical JSON: keys sorted by code point, no whitespace, only the escapes JSON requires. */
    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            writeObject(node, out, false);
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else {
            // Numbers, booleans and null print the same in canonical JSON as in Jackson's output.
            out.append(node.toString());
        }
    }

    private static void writeObject(JsonNode object, StringBuilder out, boolean skipSignatures) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!(skipSignatures && (key.equals("signatures") || key.equals("unsigned")))) {
                keys.add(key);
            }
        }
        keys.sort(ThirdPartyInviteSignatures::compareByCodePoint);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(keys.get(i), out);
            out.append(':');
            write(object.get(keys.get(i)), out);
        }
        out.append('}');
    }

    private static int compareByCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void writeString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
