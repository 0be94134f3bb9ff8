package dev.hyphae.node.signing;

import java.util.Base64;

/**
 * Unpadded base64 (appendices, "Unpadded Base64"), standard and URL-safe. Encoding never pads.
 * Decoding accepts input with or without {@code =} padding, as the spec asks, but refuses
 * characters outside the alphabet (including whitespace and the other alphabet's {@code +/} or
 * {@code -_}) and impossible lengths. Unused low bits of the last character are ignored: the
 * appendix's own test key seed has them set.
 */
public final class UnpaddedBase64 {
    private static final Base64.Encoder STANDARD = Base64.getEncoder().withoutPadding();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private UnpaddedBase64() {
    }

    public static String encode(byte[] bytes) {
        return STANDARD.encodeToString(bytes);
    }

    public static String encodeUrlSafe(byte[] bytes) {
        return URL_SAFE.encodeToString(bytes);
    }

    /** Decodes standard base64; throws {@link IllegalArgumentException} with the reason on bad input. */
    public static byte[] decode(String text) {
        return decode(text, Base64.getDecoder(), "base64");
    }

    /** Decodes URL-safe base64; throws {@link IllegalArgumentException} with the reason on bad input. */
    public static byte[] decodeUrlSafe(String text) {
        return decode(text, Base64.getUrlDecoder(), "URL-safe base64");
    }

    private static byte[] decode(String text, Base64.Decoder decoder, String kind) {
        if (text == null) {
            throw new IllegalArgumentException("invalid " + kind + ": missing");
        }
        int end = text.length();
        int padding = 0;
        while (end > 0 && text.charAt(end - 1) == '=' && padding < 2) {
            end--;
            padding++;
        }
        if (padding > 0 && text.length() % 4 != 0) {
            throw new IllegalArgumentException("invalid " + kind + ": wrong padding");
        }
        if (end % 4 == 1) {
            throw new IllegalArgumentException("invalid " + kind + ": " + end + " characters cannot encode whole bytes");
        }
        try {
            return decoder.decode(padding == 0 ? text : text.substring(0, end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + kind + ": " + e.getMessage(), e);
        }
    }
}
