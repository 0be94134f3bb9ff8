package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.json.CanonicalJsonException;
import dev.hyphae.node.room.EventFormat;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.signing.JsonSigning;

/**
 * Builds {@link Pdu}s from events received over federation: checks the event format of the room
 * version (step 1 of "Checks performed on receipt of a PDU") and derives the event ID.
 * Signatures and hashes are checked afterwards by {@link PduVerifier}.
 */
public final class PduFactory {
    private PduFactory() {
    }

    /**
     * Parses one event (strict canonical JSON for room versions 6 and later) and builds its PDU.
     *
     * @throws InvalidPduException with the reason when the JSON or the event format is wrong
     */
    public static Pdu fromFederation(byte[] json, RoomVersion version) {
        ObjectNode event;
        try {
            event = version.strictCanonicalJson() ? CanonicalJson.parseObject(json) : CanonicalJson.parseObjectLenient(json);
        } catch (CanonicalJsonException e) {
            throw new InvalidPduException("bad event JSON: " + e.getMessage(), e);
        }
        return fromFederation(event, version);
    }

    /**
     * Builds the PDU of an already parsed event. Takes ownership of {@code event}: the caller must
     * not change it afterwards (this avoids copying every received event).
     *
     * @throws InvalidPduException with the reason when the event format is wrong
     */
    public static Pdu fromFederation(ObjectNode event, RoomVersion version) {
        PduFormat.check(event, version);
        if (version.eventFormat() == EventFormat.V1) {
            return Pdu.owning(ReferenceHash.eventId(event, version), event, version);
        }
        // The reference hash input is also what the signatures cover: keep it for PduVerifier.
        byte[] signedBytes = JsonSigning.signedBytes(Redaction.redact(event, version.redaction()));
        return Pdu.owning(ReferenceHash.eventIdFromHash(Sha256.digest(signedBytes), version), event, version,
                signedBytes);
    }
}
