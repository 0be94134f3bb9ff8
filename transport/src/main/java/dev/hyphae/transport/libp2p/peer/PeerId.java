package dev.hyphae.transport.libp2p.peer;

import dev.hyphae.transport.libp2p.multiaddr.PeerIdText;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of a peer's {@code PublicKey} protobuf. Keys of at most 42 bytes
 * (Ed25519) use the identity multihash, so the key can be read back from the id.
 */
public final class PeerId {

    private static final int MAX_INLINE_KEY_LENGTH = 42;

    private final byte[] multihash;
    /**
     * The base58 form, made on first use: it takes a big-integer division a character, and ids
     * are printed into every error message and log line of a busy host.
     */
    private volatile String base58;

    private PeerId(byte[] multihash) {
        this.multihash = multihash;
    }

    public static PeerId fromPublicKey(PublicKey key) {
        byte[] encoded = key.toProtobuf();
        if (encoded.length > MAX_INLINE_KEY_LENGTH) {
            throw new IllegalStateException("Ed25519 key protobuf is always short enough to inline");
        }
        byte[] multihash = new byte[2 + encoded.length];
        multihash[0] = PeerIdText.IDENTITY;
        multihash[1] = (byte) encoded.length;
        System.arraycopy(encoded, 0, multihash, 2, encoded.length);
        return new PeerId(multihash);
    }

    /**
     * The peer id whose binary form (a multihash) is {@code bytes}.
     *
     * @throws InvalidPeerIdException if the bytes are not an identity or sha2-256 multihash
     */
    public static PeerId fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new PeerId(PeerIdText.requireMultihash(bytes));
        } catch (IllegalArgumentException e) {
            throw new InvalidPeerIdException(e.getMessage());
        }
    }

    /**
     * Parses the legacy base58btc form ({@code 12D3KooW…}, {@code Qm…}) or the CIDv1 form
     * ({@code bafz…}, {@code k51…}).
     *
     * @throws InvalidPeerIdException if the text is neither
     */
    public static PeerId parse(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return new PeerId(PeerIdText.decode(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidPeerIdException("invalid peer id '" + text + "': " + e.getMessage());
        }
    }

    public byte[] toBytes() {
        return multihash.clone();
    }

    public String toBase58() {
        String text = base58;
        if (text == null) {
            text = PeerIdText.toBase58(multihash);
            base58 = text;
        }
        return text;
    }

    /** The CIDv1 form (libp2p-key codec, base32). */
    public String toCid() {
        return PeerIdText.toCid(multihash);
    }

    /**
     * The public key inlined in an identity-multihash peer id, if the id is one and the key is
     * Ed25519; empty otherwise.
     */
    public Optional<PublicKey> publicKey() {
        if (multihash[0] != PeerIdText.IDENTITY) {
            return Optional.empty();
        }
        try {
            return Optional.of(PublicKey.fromProtobuf(Arrays.copyOfRange(multihash, 2, multihash.length)));
        } catch (KeyFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code key} is the key this peer id was made from. */
    public boolean matches(PublicKey key) {
        return equals(fromPublicKey(key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && Arrays.equals(p.multihash, multihash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(multihash);
    }

    /** The base58btc form. */
    @Override
    public String toString() {
        return toBase58();
    }
}
