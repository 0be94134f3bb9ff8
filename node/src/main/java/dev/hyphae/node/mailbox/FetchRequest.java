package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SignatureCheck;
import dev.hyphae.node.signing.UnpaddedBase64;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A recipient's signed request to a mailbox: "I am {@code recipient} at {@code ts}; delete these
 * envelopes I have processed and give me what waits". Signed with the recipient's identity key
 * (JSON signing, as events are), with a random nonce, padded to {@link PaddedSizes#FETCH_REQUEST_SIZE}.
 * The mailbox accepts each request once (its digest is remembered) and only near its own clock.
 *
 * @param digest SHA-256 of the signed JSON, the replay mark
 */
public record FetchRequest(String recipient, long ts, List<byte[]> delete, byte[] digest) {
    /** At most this many envelopes are deleted by, and returned to, one fetch. */
    public static final int MAX_ENVELOPES = 64;
    static final int ENVELOPE_ID_LENGTH = 32;

    public FetchRequest {
        Objects.requireNonNull(recipient, "recipient");
        delete = List.copyOf(delete);
        digest = digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The padded, signed request of {@code identity}. */
    public static byte[] create(NodeIdentity identity, long ts, byte[] nonce, List<byte[]> delete) {
        if (delete.size() > MAX_ENVELOPES) {
            throw new IllegalArgumentException("a fetch deletes at most " + MAX_ENVELOPES + " envelopes");
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("recipient", identity.serverName());
        json.put("ts", ts);
        json.put("nonce", UnpaddedBase64.encode(nonce));
        ArrayNode ids = json.putArray("delete");
        delete.forEach(id -> ids.add(UnpaddedBase64.encode(id)));
        JsonSigning.sign(json, identity.serverName(), identity.signingKey());
        return PaddedSizes.pad(CanonicalJson.encode(json), PaddedSizes.FETCH_REQUEST_SIZE);
    }

    /**
     * Reads and checks a padded fetch request: its size, JSON, fields and the recipient's signature.
     *
     * @throws MailboxRefusal 400 for a malformed request, 401 for a bad signature
     */
    public static FetchRequest parse(byte[] body) {
        if (body.length != PaddedSizes.FETCH_REQUEST_SIZE) {
            throw MailboxRefusal.badEnvelope("a fetch request is " + PaddedSizes.FETCH_REQUEST_SIZE + " bytes, not "
                    + body.length);
        }
        ObjectNode json;
        try {
            json = CanonicalJson.parseObject(PaddedSizes.unpad(body));
        } catch (RuntimeException e) {
            throw MailboxRefusal.badEnvelope("a fetch request is padded canonical JSON: " + e.getMessage());
        }
        JsonNode recipient = json.path("recipient");
        JsonNode ts = json.path("ts");
        JsonNode delete = json.path("delete");
        if (!recipient.isTextual() || !ts.isIntegralNumber() || !json.path("nonce").isTextual() || !delete.isArray()
                || delete.size() > MAX_ENVELOPES) {
            throw MailboxRefusal.badEnvelope("a fetch request has recipient, ts, nonce and at most " + MAX_ENVELOPES
                    + " envelope IDs in delete");
        }
        List<byte[]> ids = new ArrayList<>();
        for (JsonNode id : delete) {
            if (!id.isTextual()) {
                throw MailboxRefusal.badEnvelope("an envelope ID is a string");
            }
            byte[] bytes;
            try {
                bytes = UnpaddedBase64.decode(id.asText());
            } catch (RuntimeException e) {
                throw MailboxRefusal.badEnvelope("an envelope ID is unpadded base64");
            }
            if (bytes.length != ENVELOPE_ID_LENGTH) {
                throw MailboxRefusal.badEnvelope("an envelope ID is 32 bytes");
            }
            ids.add(bytes);
        }
        SignatureCheck check = OnionSignature.verify(json, recipient.textValue());
        if (!check.valid()) {
            throw MailboxRefusal.unauthorized("the fetch request is not signed by " + recipient.textValue() + ": "
                    + check.reason());
        }
        return new FetchRequest(recipient.textValue(), ts.longValue(), ids, sha256(CanonicalJson.encode(json)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
