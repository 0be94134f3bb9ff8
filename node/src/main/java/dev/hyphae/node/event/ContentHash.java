package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.signing.UnpaddedBase64;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The content hash of an event (server-server API, "Calculating the content hash for an event"):
 * SHA-256 of the canonical JSON of the whole unredacted event without {@code unsigned},
 * {@code signatures} and {@code hashes}, kept in {@code hashes.sha256}.
 */
public final class ContentHash {
    private static final Set<String> NOT_HASHED = Set.of("unsigned", "signatures", "hashes");

    private ContentHash() {
    }

    public static byte[] compute(ObjectNode event) {
        return Sha256.digest(CanonicalJson.encodeWithout(event, NOT_HASHED));
    }

    /** Sets {@code hashes} to {@code {"sha256": <content hash>}} in place and returns the event. */
    public static ObjectNode add(ObjectNode event) {
        String hash = UnpaddedBase64.encode(compute(event));
        event.putObject("hashes").put("sha256", hash);
        return event;
    }

    /** True when the event's {@code hashes.sha256} is the content hash of the event. */
    public static boolean matches(ObjectNode event) {
        JsonNode claimed = event.path("hashes").get("sha256");
        if (claimed == null || !claimed.isTextual()) {
            return false;
        }
        byte[] claimedBytes;
        try {
            claimedBytes = UnpaddedBase64.decode(claimed.textValue());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(claimedBytes, compute(event));
    }
}
