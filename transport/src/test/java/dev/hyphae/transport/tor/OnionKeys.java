package dev.hyphae.transport.tor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The keys of an onion service made from a 32-byte Ed25519 seed, as the node derives them
 * (NodeIdentity), for tests of transport, which does not depend on node.
 */
public record OnionKeys(byte[] seed, byte[] publicKey, byte[] expandedSecretKey, String address) {
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static OnionKeys fromSeed(byte[] seed) {
        byte[] publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        byte[] expanded = digest("SHA-512", seed);
        expanded[0] &= (byte) 248;
        expanded[31] &= 127;
        expanded[31] |= 64;
        return new OnionKeys(seed.clone(), publicKey, expanded, serviceId(publicKey) + ".onion");
    }

    /** A fixed seed {@code 00 .. 00 n}, so a test always publishes the same address. */
    public static OnionKeys fixed(int n) {
        byte[] seed = new byte[32];
        seed[31] = (byte) n;
        return fromSeed(seed);
    }

    public String serviceId() {
        return address.substring(0, address.length() - ".onion".length());
    }

    /** base32(pub || SHA3-256(".onion checksum" || pub || 0x03)[0..2] || 0x03), lowercase. */
    static String serviceId(byte[] publicKey) {
        byte[] checksumInput = concat(".onion checksum".getBytes(StandardCharsets.US_ASCII), publicKey, new byte[] {3});
        byte[] checksum = Arrays.copyOf(digest("SHA3-256", checksumInput), 2);
        return base32(concat(publicKey, checksum, new byte[] {3}));
    }

    private static String base32(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                text.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            text.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java 17", e);
        }
    }
}
