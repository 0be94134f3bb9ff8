package dev.hyphae.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sealed envelope held by this node acting as a mailbox: opaque bytes for one recipient, with
 * no sender.
 *
 * @param seq        the order of deposit (oldest first)
 * @param envelopeId the SHA-256 of {@code body}
 * @param expiresTs  when the envelope is deleted unfetched
 */
public record MailboxEnvelope(long seq, byte[] envelopeId, byte[] body, long expiresTs) {
    public MailboxEnvelope {
        Objects.requireNonNull(envelopeId, "envelopeId");
        Objects.requireNonNull(body, "body");
        envelopeId = envelopeId.clone();
        body = body.clone();
    }

    @Override
    public byte[] envelopeId() {
        return envelopeId.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailboxEnvelope e && e.seq == seq && e.expiresTs == expiresTs
                && Arrays.equals(e.envelopeId, envelopeId) && Arrays.equals(e.body, body);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Arrays.hashCode(envelopeId);
    }

    @Override
    public String toString() {
        return "MailboxEnvelope[" + seq + ", " + body.length + " bytes, expires " + expiresTs + "]";
    }
}
