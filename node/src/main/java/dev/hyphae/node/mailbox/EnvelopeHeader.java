package dev.hyphae.node.mailbox;

import dev.hyphae.transport.router.OnionAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The clear part of an envelope, all a mailbox reads: the format tag and the recipient's Ed25519
 * key. Layout of a whole envelope (one of {@link PaddedSizes#ENVELOPE_SIZES} bytes):
 *
 * <pre>
 *   0    4  "HMB1"
 *   4   32  recipient Ed25519 public key
 *  36   32  ephemeral X25519 public key
 *  68   48  sender Ed25519 public key, sealed (ChaCha20-Poly1305, key from DH(e, recipient))
 * 116  ...  padded payload, sealed (key from DH(e, recipient) and DH(sender, recipient)), 16-byte tag
 * </pre>
 */
public record EnvelopeHeader(byte[] recipientKey) {
    static final byte[] MAGIC = "HMB1".getBytes(StandardCharsets.US_ASCII);
    static final int RECIPIENT_OFFSET = 4;
    static final int EPHEMERAL_OFFSET = 36;
    static final int SENDER_OFFSET = 68;
    static final int TAG_LENGTH = 16;
    static final int PAYLOAD_OFFSET = SENDER_OFFSET + MailboxKeys.KEY_LENGTH + TAG_LENGTH;
    /** Bytes of an envelope that are not padded payload. */
    static final int OVERHEAD = PAYLOAD_OFFSET + TAG_LENGTH;

    public EnvelopeHeader {
        recipientKey = recipientKey.clone();
    }

    /**
     * Reads the header of an envelope.
     *
     * @throws IllegalArgumentException when the size is not an envelope size or the tag is wrong
     */
    public static EnvelopeHeader parse(byte[] envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (!PaddedSizes.ENVELOPE_SIZES.contains(envelope.length)) {
            throw new IllegalArgumentException("an envelope is one of " + PaddedSizes.ENVELOPE_SIZES + " bytes, not "
                    + envelope.length);
        }
        if (!Arrays.equals(envelope, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("not a Hyphae mailbox envelope (no HMB1 tag)");
        }
        return new EnvelopeHeader(Arrays.copyOfRange(envelope, RECIPIENT_OFFSET, EPHEMERAL_OFFSET));
    }

    @Override
    public byte[] recipientKey() {
        return recipientKey.clone();
    }

    /** The recipient's server name (the onion address of its key). */
    public String recipient() {
        return OnionAddress.of(recipientKey).serverName();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EnvelopeHeader h && Arrays.equals(h.recipientKey, recipientKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(recipientKey);
    }

    @Override
    public String toString() {
        return "EnvelopeHeader[" + recipient() + "]";
    }
}
