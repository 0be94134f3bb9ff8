package dev.hyphae.node.mailbox;

import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.transport.router.OnionAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Seals payloads from this node to another server's key, and opens envelopes sealed to this node
 * (authenticated public-key encryption in the shape of Noise's one-way "X" pattern: an ephemeral
 * X25519 key, the sender's static key sealed under DH(e, rs), the payload sealed under DH(e, rs)
 * and DH(s, rs)). Only the recipient can open an envelope, and opening it proves which server's
 * key sealed it. Payloads are padded inside the encryption to the smallest envelope size.
 */
public final class EnvelopeSealer {
    private static final byte[] NONCE = new byte[12]; // every key is used once: it depends on a fresh ephemeral key
    private static final byte[] SENDER_INFO = "hyphae mailbox v1 sender".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD_INFO = "hyphae mailbox v1 payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] publicKey;
    private final byte[] xPrivate;
    private final String serverName;
    private final SecureRandom random;

    public EnvelopeSealer(NodeIdentity identity, SecureRandom random) {
        Objects.requireNonNull(identity, "identity");
        this.random = Objects.requireNonNull(random, "random");
        this.publicKey = identity.publicKey();
        this.xPrivate = MailboxKeys.privateKey(identity.seed());
        this.serverName = identity.serverName();
    }

    /** The largest payload an envelope holds. */
    public static int maxPayload() {
        int largest = PaddedSizes.ENVELOPE_SIZES.get(PaddedSizes.ENVELOPE_SIZES.size() - 1);
        return PaddedSizes.capacity(largest - EnvelopeHeader.OVERHEAD);
    }

    /**
     * Seals {@code payload} to {@code recipient} into an envelope of the smallest size that holds it.
     *
     * @throws IllegalArgumentException when the recipient is no onion server name or the payload is
     *                                  larger than {@link #maxPayload()}
     */
    public byte[] seal(String recipient, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        byte[] recipientKey = OnionAddress.parse(recipient).publicKey();
        OptionalInt size = PaddedSizes.bucketFor(payload.length + PaddedSizes.LENGTH_PREFIX + EnvelopeHeader.OVERHEAD,
                PaddedSizes.ENVELOPE_SIZES);
        if (size.isEmpty()) {
            throw new IllegalArgumentException("a payload of " + payload.length + " bytes is larger than an envelope holds ("
                    + maxPayload() + ")");
        }
        byte[] recipientX = MailboxKeys.publicKey(recipientKey);
        byte[] ephemeralPrivate = new byte[MailboxKeys.KEY_LENGTH];
        random.nextBytes(ephemeralPrivate);
        byte[] ephemeralPublic = MailboxKeys.publicKeyOfPrivate(ephemeralPrivate);
        byte[] es = MailboxKeys.agree(ephemeralPrivate, recipientX);
        byte[] ss = MailboxKeys.agree(xPrivate, recipientX);

        byte[] envelope = new byte[size.getAsInt()];
        System.arraycopy(EnvelopeHeader.MAGIC, 0, envelope, 0, EnvelopeHeader.MAGIC.length);
        System.arraycopy(recipientKey, 0, envelope, EnvelopeHeader.RECIPIENT_OFFSET, MailboxKeys.KEY_LENGTH);
        System.arraycopy(ephemeralPublic, 0, envelope, EnvelopeHeader.EPHEMERAL_OFFSET, MailboxKeys.KEY_LENGTH);
        byte[] senderKey = key(es, Arrays.copyOf(envelope, EnvelopeHeader.SENDER_OFFSET), SENDER_INFO);
        crypt(true, senderKey, Arrays.copyOf(envelope, EnvelopeHeader.SENDER_OFFSET), publicKey, envelope,
                EnvelopeHeader.SENDER_OFFSET);
        byte[] head = Arrays.copyOf(envelope, EnvelopeHeader.PAYLOAD_OFFSET);
        byte[] payloadKey = key(concat(es, ss), head, PAYLOAD_INFO);
        byte[] padded = PaddedSizes.pad(payload, envelope.length - EnvelopeHeader.OVERHEAD);
        crypt(true, payloadKey, head, padded, envelope, EnvelopeHeader.PAYLOAD_OFFSET);
        Arrays.fill(ephemeralPrivate, (byte) 0);
        return envelope;
    }

    /**
     * Opens an envelope sealed to this node.
     *
     * @throws IllegalArgumentException when it is not an envelope, is addressed to another node,
     *                                  or fails authentication (tampered, or garbage)
     */
    public OpenedEnvelope open(byte[] envelope) {
        EnvelopeHeader header = EnvelopeHeader.parse(envelope);
        if (!Arrays.equals(header.recipientKey(), publicKey)) {
            throw new IllegalArgumentException("the envelope is addressed to " + header.recipient() + ", not to "
                    + serverName);
        }
        byte[] ephemeralPublic = Arrays.copyOfRange(envelope, EnvelopeHeader.EPHEMERAL_OFFSET,
                EnvelopeHeader.SENDER_OFFSET);
        byte[] es = MailboxKeys.agree(xPrivate, ephemeralPublic);
        byte[] clearHead = Arrays.copyOf(envelope, EnvelopeHeader.SENDER_OFFSET);
        byte[] senderPublic = new byte[MailboxKeys.KEY_LENGTH];
        crypt(false, key(es, clearHead, SENDER_INFO), clearHead,
                Arrays.copyOfRange(envelope, EnvelopeHeader.SENDER_OFFSET, EnvelopeHeader.PAYLOAD_OFFSET),
                senderPublic, 0);
        byte[] ss = MailboxKeys.agree(xPrivate, MailboxKeys.publicKey(senderPublic));
        byte[] head = Arrays.copyOf(envelope, EnvelopeHeader.PAYLOAD_OFFSET);
        byte[] padded = new byte[envelope.length - EnvelopeHeader.OVERHEAD];
        crypt(false, key(concat(es, ss), head, PAYLOAD_INFO), head,
                Arrays.copyOfRange(envelope, EnvelopeHeader.PAYLOAD_OFFSET, envelope.length), padded, 0);
        return new OpenedEnvelope(OnionAddress.of(senderPublic).serverName(), PaddedSizes.unpad(padded));
    }

    private static byte[] key(byte[] secret, byte[] salt, byte[] info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, salt, info));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    private static void crypt(boolean encrypt, byte[] key, byte[] associatedData, byte[] input, byte[] out, int outOffset) {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(encrypt, new AEADParameters(new KeyParameter(key), EnvelopeHeader.TAG_LENGTH * 8, NONCE, associatedData));
        int written = aead.processBytes(input, 0, input.length, out, outOffset);
        try {
            aead.doFinal(out, outOffset + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalArgumentException("the envelope does not open with this node's key (tampered or garbage)", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
