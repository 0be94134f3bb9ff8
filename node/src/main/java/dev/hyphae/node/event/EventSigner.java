package dev.hyphae.node.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.room.EventFormat;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.node.signing.UnpaddedBase64;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Finishes this server's new events ("Adding hashes and signatures to outgoing events"): adds
 * the content hash, signs the redacted event with the server key, copies the signature back,
 * checks the event format and derives the event ID.
 */
public final class EventSigner {
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final String serverName;
    private final SigningKey key;
    private final SecureRandom random;

    public EventSigner(String serverName, SigningKey key, SecureRandom random) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.key = Objects.requireNonNull(key, "key");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Finishes {@code event}, which takes everything but {@code hashes} and {@code signatures}
     * (and, in room versions 1 and 2, {@code event_id}, which is made here when absent). Takes
     * ownership of {@code event}.
     *
     * @throws InvalidPduException when the finished event breaks the event format (e.g. too large)
     */
    public Pdu finish(ObjectNode event, RoomVersion version) {
        if (version.eventFormat() == EventFormat.V1 && !event.path("event_id").isTextual()) {
            event.put("event_id", "$" + randomId() + ":" + serverName);
        }
        event.remove("signatures");
        ContentHash.add(event);
        // The signed bytes (redacted, without signatures and unsigned) are exactly what the reference hash covers.
        byte[] signedBytes = JsonSigning.signedBytes(Redaction.redact(event, version.redaction()));
        JsonSigning.addSignature(event, serverName, key.keyId(), UnpaddedBase64.encode(key.sign(signedBytes)));
        byte[] encoded = PduFormat.checkAndEncode(event, version);
        String eventId = version.eventFormat() == EventFormat.V1
                ? event.get("event_id").textValue()
                : ReferenceHash.eventIdFromHash(Sha256.digest(signedBytes), version);
        return Pdu.owning(eventId, event, version, signedBytes, encoded);
    }

    /**
     * Adds this server's signature to an event that already has its content hash (an invite or a
     * restricted join this server co-signs), keeping the other signatures. Changes {@code event}.
     */
    public ObjectNode sign(ObjectNode event, RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event, version.redaction());
        String signature = JsonSigning.signature(redacted, key);
        JsonSigning.addSignature(event, serverName, key.keyId(), signature);
        return event;
    }

    public String serverName() {
        return serverName;
    }

    private String randomId() {
        char[] chars = new char[18];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length()));
        }
        return new String(chars);
    }
}
