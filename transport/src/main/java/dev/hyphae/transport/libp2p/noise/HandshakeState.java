package dev.hyphae.transport.libp2p.noise;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The Noise HandshakeState (spec section 5.3) for the one pattern libp2p uses:
 * <pre>
 * XX:
 *   -&gt; e
 *   &lt;- e, ee, s, es
 *   -&gt; s, se
 * </pre>
 * with protocol name {@code Noise_XX_25519_ChaChaPoly_SHA256} and an empty prologue.
 */
public final class HandshakeState {

    public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** The largest Noise message, handshake or transport. */
    public static final int MAX_MESSAGE_LENGTH = 65535;

    private static final int ENCRYPTED_KEY_LENGTH = DhKeyPair.DHLEN + CipherState.TAG_LENGTH;

    private final boolean initiator;
    private final SymmetricState symmetricState = new SymmetricState(PROTOCOL_NAME);
    private final DhKeyPair s;
    private final Supplier<DhKeyPair> ephemeralKeys;
    private DhKeyPair e;
    private byte[] rs;
    private byte[] re;
    private int messageIndex;

    /**
     * Initialize(XX, initiator, prologue = empty, s).
     *
     * @param ephemeralKeys where the ephemeral key comes from; random in use, fixed in test vectors
     */
    public HandshakeState(boolean initiator, DhKeyPair s, Supplier<DhKeyPair> ephemeralKeys) {
        this.initiator = initiator;
        this.s = s;
        this.ephemeralKeys = ephemeralKeys;
        symmetricState.mixHash(new byte[0]);
    }

    /** Whether the next message is one this side writes. */
    public boolean isMyTurn() {
        return (messageIndex % 2 == 0) == initiator;
    }

    public boolean isComplete() {
        return messageIndex == 3;
    }

    /** WriteMessage(payload, message_buffer). */
    public byte[] writeMessage(byte[] payload) {
        if (isComplete() || !isMyTurn()) {
            throw new IllegalStateException("not this side's turn to write");
        }
        byte[] out;
        switch (messageIndex) {
            case 0: { // -> e
                e = ephemeralKeys.get();
                byte[] ePub = e.publicKey();
                symmetricState.mixHash(ePub);
                out = concat(ePub, symmetricState.encryptAndHash(payload));
                break;
            }
            case 1: { // <- e, ee, s, es
                e = ephemeralKeys.get();
                byte[] ePub = e.publicKey();
                symmetricState.mixHash(ePub);
                symmetricState.mixKey(e.dh(re));
                byte[] encryptedS = symmetricState.encryptAndHash(s.publicKey());
                symmetricState.mixKey(s.dh(re));
                out = concat(concat(ePub, encryptedS), symmetricState.encryptAndHash(payload));
                break;
            }
            default: { // -> s, se
                byte[] encryptedS = symmetricState.encryptAndHash(s.publicKey());
                symmetricState.mixKey(s.dh(re));
                out = concat(encryptedS, symmetricState.encryptAndHash(payload));
                break;
            }
        }
        if (out.length > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("handshake message longer than 65535 bytes");
        }
        messageIndex++;
        return out;
    }

    /**
     * ReadMessage(message, payload_buffer).
     *
     * @throws NoiseException if the message is too short or fails authentication
     */
    public byte[] readMessage(byte[] message) {
        if (isComplete() || isMyTurn()) {
            throw new IllegalStateException("not this side's turn to read");
        }
        byte[] payload;
        switch (messageIndex) {
            case 0: { // -> e
                requireLength(message, DhKeyPair.DHLEN);
                re = Arrays.copyOf(message, DhKeyPair.DHLEN);
                symmetricState.mixHash(re);
                payload = symmetricState.decryptAndHash(Arrays.copyOfRange(message, DhKeyPair.DHLEN, message.length));
                break;
            }
            case 1: { // <- e, ee, s, es
                requireLength(message, DhKeyPair.DHLEN + ENCRYPTED_KEY_LENGTH + CipherState.TAG_LENGTH);
                re = Arrays.copyOf(message, DhKeyPair.DHLEN);
                symmetricState.mixHash(re);
                symmetricState.mixKey(e.dh(re));
                int sEnd = DhKeyPair.DHLEN + ENCRYPTED_KEY_LENGTH;
                rs = symmetricState.decryptAndHash(Arrays.copyOfRange(message, DhKeyPair.DHLEN, sEnd));
                symmetricState.mixKey(e.dh(rs));
                payload = symmetricState.decryptAndHash(Arrays.copyOfRange(message, sEnd, message.length));
                break;
            }
            default: { // -> s, se
                requireLength(message, ENCRYPTED_KEY_LENGTH + CipherState.TAG_LENGTH);
                rs = symmetricState.decryptAndHash(Arrays.copyOf(message, ENCRYPTED_KEY_LENGTH));
                symmetricState.mixKey(e.dh(rs));
                payload = symmetricState.decryptAndHash(
                    Arrays.copyOfRange(message, ENCRYPTED_KEY_LENGTH, message.length));
                break;
            }
        }
        messageIndex++;
        return payload;
    }

    /** The remote party's static public key, once it has been received. */
    public byte[] remoteStaticKey() {
        if (rs == null) {
            throw new IllegalStateException("remote static key not received yet");
        }
        return rs.clone();
    }

    public byte[] localStaticKey() {
        return s.publicKey();
    }

    public byte[] handshakeHash() {
        return symmetricState.handshakeHash();
    }

    /** Split() oriented for this side: the cipher it sends with, then the one it receives with. */
    public TransportCiphers split() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake not complete");
        }
        CipherState[] pair = symmetricState.split();
        return initiator ? new TransportCiphers(pair[0], pair[1]) : new TransportCiphers(pair[1], pair[0]);
    }

    /** The two transport ciphers of one side. */
    public record TransportCiphers(CipherState sender, CipherState receiver) {
    }

    private static void requireLength(byte[] message, int minimum) {
        if (message.length < minimum) {
            throw new NoiseException("handshake message of " + message.length + " bytes, need at least " + minimum);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
