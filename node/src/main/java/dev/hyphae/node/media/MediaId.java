package dev.hyphae.node.media;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The media-ID part of an {@code mxc://} URI. The spec allows only {@code A-Za-z0-9}, {@code _}
 * and {@code -}, which also keeps IDs from ever naming a path outside the repository.
 */
public final class MediaId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** 24 characters of 62 give about 143 bits: IDs cannot be guessed. */
    private static final int LENGTH = 24;

    private MediaId() {
    }

    public static boolean isValid(String mediaId) {
        return mediaId != null && VALID.matcher(mediaId).matches();
    }

    /** A new random media ID. */
    public static String generate(SecureRandom random) {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
