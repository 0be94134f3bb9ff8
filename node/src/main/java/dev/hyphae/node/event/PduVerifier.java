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
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Steps 2 and 3 of "Checks performed on receipt of a PDU" ("Validating hashes and signatures on
 * received events"): the redacted event must carry valid signatures of every server that must sign
 * it, and an event whose content hash does not match is replaced by its redacted form.
 */
public final class PduVerifier {
    private static final String ED25519_PREFIX = "ed25519:";

    private final ServerKeyLookup keys;
    private final VerifiedSignatures verified;

    /** A verifier that checks every signature each time. */
    public PduVerifier(ServerKeyLookup keys) {
        this(keys, VerifiedSignatures.none());
    }

    /**
     * A verifier that skips the Ed25519 check of signatures {@code verified} remembers and records
     * the ones it checks. Keys are still looked up (and their validity checked) every time.
     */
    public PduVerifier(ServerKeyLookup keys, VerifiedSignatures verified) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.verified = Objects.requireNonNull(verified, "verified");
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
        // Redaction keeps the signatures as they are, so they are read from the event itself; the
        // signed bytes are often already known from deriving the event ID.
        ObjectNode event = pdu.jsonView();
        byte[] signedBytes = pdu.signedBytes();
        byte[] signedHash = verified.enabled() ? Sha256.digest(signedBytes) : null;
        long timestamp = pdu.originServerTs();
        JsonSigning.KeyLookup lookup = (entity, keyId) -> usableKey(entity, keyId, version, timestamp);
        for (String server : required) {
            if (signedHash != null && allRemembered(event, signedHash, server, lookup)) {
                continue;
            }
            SignatureCheck check = JsonSigning.verify(event, signedBytes, server, lookup);
            if (!check.valid()) {
                return SignatureCheck.invalid("event " + pdu.eventId() + ": " + check.reason());
            }
            if (signedHash != null) {
                forEachKnownSignature(event, server, lookup, (key, signature) -> {
                    verified.add(signedHash, server, key, signature);
                    return true;
                });
            }
        }
        return SignatureCheck.ok();
    }

    /**
     * True when the server has at least one ed25519 signature by a usable key and every such one has
     * verified before: then {@link JsonSigning#verify} would pass, without the Ed25519 work.
     */
    private boolean allRemembered(ObjectNode event, byte[] signedHash, String server, JsonSigning.KeyLookup lookup) {
        int[] remembered = {0};
        boolean all = forEachKnownSignature(event, server, lookup, (key, signature) -> {
            remembered[0]++;
            return verified.contains(signedHash, server, key, signature);
        });
        return all && remembered[0] > 0;
    }

    private interface SignatureVisitor {
        /** Returns false to stop. */
        boolean visit(VerifyKey key, String signature);
    }

    /**
     * Visits the server's ed25519 signatures whose key is known and usable, as {@link JsonSigning#verify}
     * checks them. Returns false when a visit said stop or a signature is not a string.
     */
    private static boolean forEachKnownSignature(ObjectNode event, String server, JsonSigning.KeyLookup lookup,
            SignatureVisitor visitor) {
        JsonNode forServer = event.path("signatures").path(server);
        for (Iterator<Map.Entry<String, JsonNode>> it = forServer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().startsWith(ED25519_PREFIX)) {
                continue;
            }
            Optional<VerifyKey> key = lookup.find(server, entry.getKey());
            if (key.isEmpty()) {
                continue;
            }
            if (!entry.getValue().isTextual() || !visitor.visit(key.get(), entry.getValue().textValue())) {
                return false;
            }
        }
        return true;
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
