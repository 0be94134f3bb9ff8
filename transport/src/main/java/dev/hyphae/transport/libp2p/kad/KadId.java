package dev.hyphae.transport.libp2p.kad;

import dev.hyphae.transport.libp2p.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A point in the Kademlia key space: the SHA-256 of a key's bytes (for peers, of the binary peer
 * id). Distances are the XOR of two points, compared as unsigned 256-bit numbers.
 */
public final class KadId {

    /** Bits in the key space. */
    public static final int BITS = 256;

    private final byte[] hash;

    private KadId(byte[] hash) {
        this.hash = hash;
    }

    /** The point of an arbitrary DHT key. */
    public static KadId ofKey(byte[] key) {
        try {
            return new KadId(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    public static KadId ofPeer(PeerId peer) {
        return ofKey(peer.toBytes());
    }

    /** The XOR distance to {@code other}, as 32 big-endian bytes. */
    public byte[] distance(KadId other) {
        byte[] d = new byte[hash.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (hash[i] ^ other.hash[i]);
        }
        return d;
    }

    /**
     * The number of leading bits this point shares with {@code other}: 256 for the same point.
     * A peer with common prefix length {@code L} to the local id belongs in bucket {@code L}.
     */
    public int commonPrefixLength(KadId other) {
        for (int i = 0; i < hash.length; i++) {
            int x = (hash[i] ^ other.hash[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Orders points by their distance to {@code target}, nearest first. */
    public static Comparator<KadId> byDistanceTo(KadId target) {
        return (a, b) -> compareDistance(target, a, b);
    }

    /** Negative if {@code a} is nearer to {@code target} than {@code b}, zero if equally near. */
    public static int compareDistance(KadId target, KadId a, KadId b) {
        for (int i = 0; i < target.hash.length; i++) {
            int da = (a.hash[i] ^ target.hash[i]) & 0xff;
            int db = (b.hash[i] ^ target.hash[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    public byte[] toBytes() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadId other && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(hash, 0, 8) + "…";
    }
}
