package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.EventFormat;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.signing.UnpaddedBase64;
import java.util.Set;

/**
 * The reference hash of an event (server-server API, "Calculating the reference hash for an
 * event"): SHA-256 of the canonical JSON of the redacted event without {@code signatures} and
 * {@code unsigned}. From room version 3 on, the event ID is {@code $} and its unpadded base64
 * (URL-safe from version 4).
 */
public final class ReferenceHash {
    static final Set<String> NOT_HASHED = Set.of("signatures", "unsigned");

    private ReferenceHash() {
    }

    public static byte[] compute(ObjectNode event, RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event, version.redaction());
        return Sha256.digest(CanonicalJson.encodeWithout(redacted, NOT_HASHED));
    }

    /**
     * The event ID of {@code event} in a room of {@code version}: derived from the reference hash,
     * or for room versions 1 and 2 the {@code event_id} the event carries.
     *
     * @throws IllegalArgumentException when a version 1 or 2 event carries no {@code event_id}
     */
    public static String eventId(ObjectNode event, RoomVersion version) {
        EventFormat format = version.eventFormat();
        if (format == EventFormat.V1) {
            JsonNode id = event.get("event_id");
            if (id == null || !id.isTextual()) {
                throw new IllegalArgumentException("room version " + version.id() + " events must carry an event_id");
            }
            return id.textValue();
        }
        return eventIdFromHash(compute(event, version), version);
    }

    /** The event ID written from a reference hash: standard base64 in room version 3, URL-safe after. */
    static String eventIdFromHash(byte[] hash, RoomVersion version) {
        return "$" + (version.eventFormat() == EventFormat.V2 ? UnpaddedBase64.encode(hash) : UnpaddedBase64.encodeUrlSafe(hash));
    }
}
