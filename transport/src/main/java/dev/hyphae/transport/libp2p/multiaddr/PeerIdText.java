package dev.hyphae.transport.libp2p.multiaddr;

import java.util.Arrays;

/**
 * The text forms of a peer id (peer-ids spec, "String representation"): the legacy base58btc
 * multihash ({@code 12D3KooW…}, {@code Qm…}) and the CIDv1 with codec libp2p-key (0x72) in any
 * multibase. Lives beside {@link Multiaddr} because the {@code /p2p/} component carries it.
 */
public final class PeerIdText {

    /** The multicodec of a libp2p public key inside a CID. */
    public static final int LIBP2P_KEY_CODEC = 0x72;
    /** The identity multihash code. */
    public static final int IDENTITY = 0x00;
    /** The sha2-256 multihash code. */
    public static final int SHA2_256 = 0x12;

    private PeerIdText() {
    }

    /**
     * Decodes either text form to the peer id's multihash bytes.
     *
     * @throws IllegalArgumentException if the text is neither form or the multihash is malformed
     */
    public static byte[] decode(String text) {
        if (text.startsWith("1") || text.startsWith("Qm")) {
            return requireMultihash(Base58Btc.decode(text));
        }
        byte[] cid = Multibase.decode(text);
        UnsignedVarint.Decoded version = UnsignedVarint.decode(cid, 0);
        if (version.value() != 1) {
            throw new IllegalArgumentException("peer id CID must be version 1, was " + version.value());
        }
        UnsignedVarint.Decoded codec = UnsignedVarint.decode(cid, version.length());
        if (codec.value() != LIBP2P_KEY_CODEC) {
            throw new IllegalArgumentException("peer id CID must have codec libp2p-key (0x72), was 0x"
                + Long.toHexString(codec.value()));
        }
        return requireMultihash(Arrays.copyOfRange(cid, version.length() + codec.length(), cid.length));
    }

    /** The legacy base58btc form, which libp2p prints by default. */
    public static String toBase58(byte[] multihash) {
        return Base58Btc.encode(multihash);
    }

    /** The CIDv1 form in base32 ({@code bafz…}). */
    public static String toCid(byte[] multihash) {
        byte[] cid = new byte[2 + multihash.length];
        cid[0] = 1;
        cid[1] = LIBP2P_KEY_CODEC;
        System.arraycopy(multihash, 0, cid, 2, multihash.length);
        return Multibase.encodeBase32(cid);
    }

    /**
     * Checks that {@code bytes} is exactly one identity or sha2-256 multihash, the two kinds a peer
     * id may be.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static byte[] requireMultihash(byte[] bytes) {
        UnsignedVarint.Decoded code = UnsignedVarint.decode(bytes, 0);
        UnsignedVarint.Decoded length = UnsignedVarint.decode(bytes, code.length());
        int header = code.length() + length.length();
        if (length.value() != bytes.length - header) {
            throw new IllegalArgumentException("multihash says " + length.value() + " digest bytes, has "
                + (bytes.length - header));
        }
        if (code.value() == SHA2_256) {
            if (length.value() != 32) {
                throw new IllegalArgumentException("sha2-256 multihash must have 32 bytes");
            }
        } else if (code.value() == IDENTITY) {
            if (length.value() > 42) {
                throw new IllegalArgumentException("identity multihash peer ids are at most 42 bytes");
            }
        } else {
            throw new IllegalArgumentException("peer id multihash must be identity or sha2-256, was 0x"
                + Long.toHexString(code.value()));
        }
        return bytes.clone();
    }
}
