package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identifier.EventId;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.room.EventFormat;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.node.signing.ServerVerifyKey;
import dev.hyphae.node.signing.SignatureCheck;
import dev.hyphae.node.signing.VerifyKey;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Steps 2 and 3 of "Checks performed on receipt of a PDU" ("Validating hashes and signatures on
 * received events"): the redacted event must carry valid signatures of every server that must sign
 * it, and an event whose content hash does not match is replaced by its redacted form.
 */
public final class PduVerifier {
    private final ServerKeyLookup keys;

    public PduVerifier(ServerKeyLookup keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * The servers whose signatures the event needs: the sender's server (not for an invite made
     * from a third-party invite, which another server may send), in room versions 1 and 2 also
     * the server of the event ID, and from version 8 the server of a
     * {@code join_authorised_via_users_server} user (authorisation rule 4.2).
     */
    public static Set<String> requiredSigners(Pdu pdu) {
        Set<String> servers = new LinkedHashSet<>();
        ObjectNode event = pdu.jsonView();
        JsonNode content = event.path("content");
        boolean thirdPartyInvite = "m.room.member".equals(pdu.type())
                && "invite".equals(content.path("membership").asText(null))
                && content.has("third_party_invite");
        if (!thirdPartyInvite) {
            servers.add(serverOf(pdu.sender(), "sender"));
        }
        RoomVersion version = pdu.roomVersion();
        if (version.eventFormat() == EventFormat.V1) {
            try {
                EventId.parse(pdu.eventId()).serverName().ifPresent(server -> servers.add(server.toString()));
            } catch (InvalidIdentifierException e) {
                throw new InvalidPduException("bad event_id: " + e.getMessage(), e);
            }
        }
        JsonNode authoriser = content.get("join_authorised_via_users_server");
        if (version.authRules().restrictedJoinRule() && "m.room.member".equals(pdu.type()) && authoriser != null) {
            if (!authoriser.isTextual()) {
                throw new InvalidPduException("join_authorised_via_users_server must be a user ID");
            }
            servers.add(serverOf(authoriser.textValue(), "join_authorised_via_users_server"));
        }
        return servers;
    }

    private static String serverOf(String userId, String key) {
        try {
            return UserId.parse(userId).serverName().toString();
        } catch (InvalidIdentifierException e) {
            throw new InvalidPduException("bad " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the signatures of every required server on the redacted event. A signature by a key
     * this node does not know, or (room version 5 on) by a key not valid at the event's
     * {@code origin_server_ts}, is skipped; each required server needs at least one valid one.
     */
    public SignatureCheck checkSignatures(Pdu pdu) {
        Set<String> required;
        try {
            required = requiredSigners(pdu);
        } catch (InvalidPduException e) {
            return SignatureCheck.invalid(e.getMessage());
        }
        RoomVersion version = pdu.roomVersion();
        ObjectNode redacted = Redaction.redact(pdu.jsonView(), version.redaction());
        byte[] signedBytes = JsonSigning.signedBytes(redacted);
        long timestamp = pdu.originServerTs();
        for (String server : required) {
            SignatureCheck check = JsonSigning.verify(redacted, signedBytes, server,
                    (entity, keyId) -> usableKey(entity, keyId, version, timestamp));
            if (!check.valid()) {
                return SignatureCheck.invalid("event " + pdu.eventId() + ": " + check.reason());
            }
        }
        return SignatureCheck.ok();
    }

    /**
     * True when the redacted event carries a valid signature of {@code serverName} by a key this node
     * knows (and, from room version 5, valid at the event's time). This is the check the auth rules
     * need for {@code join_authorised_via_users_server}.
     */
    public boolean isValidlySignedBy(Pdu pdu, String serverName) {
        RoomVersion version = pdu.roomVersion();
        ObjectNode redacted = Redaction.redact(pdu.jsonView(), version.redaction());
        long timestamp = pdu.originServerTs();
        return JsonSigning.verify(redacted, serverName, (entity, keyId) -> usableKey(entity, keyId, version, timestamp))
                .valid();
    }

    private Optional<VerifyKey> usableKey(String server, String keyId, RoomVersion version, long timestamp) {
        Optional<ServerVerifyKey> found = keys.find(server, keyId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (version.enforcesKeyValidity() && found.get().validUntilTs() < timestamp) {
            return Optional.empty();
        }
        return Optional.of(found.get().key());
    }

    /** True when the event's {@code hashes.sha256} matches its content. */
    public static boolean contentHashMatches(Pdu pdu) {
        return ContentHash.matches(pdu.jsonView());
    }

    /**
     * The event to process further: {@code pdu} itself when its content hash matches, else its
     * redacted form (the spec assumes it was sent a redacted copy).
     */
    public static Pdu checkContentHash(Pdu pdu) {
        return contentHashMatches(pdu) ? pdu : pdu.redacted();
    }
}
