package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.InvalidPduException;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.PduFactory;
import dev.hyphae.node.event.PduVerifier;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.signing.SignatureCheck;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 1 to 3 of "Checks performed on receipt of a PDU": the event format of the room version
 * (else dropped), the signatures of every server that must sign it (else dropped), and the content
 * hash (else the event goes on redacted).
 */
final class PduChecks {
    private static final Logger LOG = LoggerFactory.getLogger(PduChecks.class);

    private final PduVerifier verifier;

    PduChecks(PduVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * The checked event, redacted when its content hash does not match.
     *
     * @throws InvalidPduException with the reason when the event must be dropped
     */
    Pdu check(JsonNode json, RoomVersion version) {
        return verify(format(json, version));
    }

    /**
     * Step 1: the event format of the room version, which also gives the event's ID.
     *
     * @throws InvalidPduException with the reason when the event must be dropped
     */
    Pdu format(JsonNode json, RoomVersion version) {
        if (json == null || !json.isObject()) {
            throw new InvalidPduException("a PDU must be a JSON object");
        }
        try {
            // The factory owns what it is given, so it gets a copy.
            return PduFactory.fromFederation(((ObjectNode) json).deepCopy(), version);
        } catch (InvalidPduException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidPduException("bad event: " + e.getMessage(), e);
        }
    }

    /**
     * Steps 2 and 3 on an event of the right format: the event, or its redacted form when the
     * content hash does not match.
     *
     * @throws InvalidPduException with the reason when the event must be dropped
     */
    Pdu verify(Pdu pdu) {
        // 2. Signatures.
        SignatureCheck signatures = verifier.checkSignatures(pdu);
        if (!signatures.valid()) {
            throw new InvalidPduException("bad signature: " + signatures.reason());
        }
        // 3. Hashes: a mismatch means the sender's copy was redacted, so it is processed redacted.
        if (!PduVerifier.contentHashMatches(pdu)) {
            LOG.info("content hash of {} does not match: processing it redacted", pdu.eventId());
            return pdu.redacted();
        }
        return pdu;
    }
}
