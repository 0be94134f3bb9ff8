package dev.hyphae.transport.libp2p.multiaddr;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/**
 * The multibase prefixes libp2p uses: {@code b} (base32, lower case, no padding), {@code k}
 * (base36, lower case), {@code z} (base58btc) for peer ids, and {@code u} (base64url, no padding)
 * for certificate hashes.
 */
public final class Multibase {

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    private Multibase() {
    }

    /** Encodes as multibase {@code b}: RFC 4648 base32, lower case, no padding. */
    public static String encodeBase32(byte[] bytes) {
        StringBuilder sb = new StringBuilder("b");
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** Encodes as multibase {@code u}: RFC 4648 base64url without padding. */
    public static String encodeBase64Url(byte[] bytes) {
        return "u" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Decodes a multibase string with prefix {@code b}, {@code k}, {@code u} or {@code z}.
     *
     * @throws IllegalArgumentException for any other prefix or a character outside the base
     */
    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty multibase string");
        }
        String body = text.substring(1);
        switch (text.charAt(0)) {
            case 'b':
                return decodeBase32(body);
            case 'k':
                return decodeBase36(body);
            case 'z':
                return Base58Btc.decode(body);
            case 'u':
                if (body.contains("=")) {
                    throw new IllegalArgumentException("base64url multibase has no padding");
                }
                return java.util.Base64.getUrlDecoder().decode(body);
            default:
                throw new IllegalArgumentException("unsupported multibase prefix '" + text.charAt(0) + "'");
        }
    }

    private static byte[] decodeBase32(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < body.length(); i++) {
            int v = BASE32.indexOf(body.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("invalid base32 character '" + body.charAt(i) + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("base32 string has trailing bits");
        }
        return out.toByteArray();
    }

    private static byte[] decodeBase36(String body) {
        if (body.isEmpty()) {
            throw new IllegalArgumentException("empty base36 string");
        }
        BigInteger n = BigInteger.ZERO;
        int zeros = 0;
        boolean leading = true;
        for (int i = 0; i < body.length(); i++) {
            int v = BASE36.indexOf(body.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("invalid base36 character '" + body.charAt(i) + "'");
            }
            if (leading && v == 0) {
                zeros++;
            } else {
                leading = false;
            }
            n = n.multiply(BigInteger.valueOf(36)).add(BigInteger.valueOf(v));
        }
        byte[] magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
        int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
        byte[] out = new byte[zeros + magnitude.length - skip];
        System.arraycopy(magnitude, skip, out, zeros, magnitude.length - skip);
        return out;
    }
}
