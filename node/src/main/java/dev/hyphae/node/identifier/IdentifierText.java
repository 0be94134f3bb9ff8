package dev.hyphae.node.identifier;

/** Character-level checks shared by the identifier grammars of the appendices. */
final class IdentifierText {
    /** Identifiers with a sigil and server name are limited to 255 bytes of UTF-8. */
    static final int MAX_BYTES = 255;

    private IdentifierText() {
    }

    /** The UTF-8 length of {@code s}; unpaired surrogates count as the three bytes of U+FFFD. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Null when {@code localpart} is made of valid non-surrogate code points other than {@code :} and NUL
     * (the historical user ID, room ID and alias localpart grammar), else the reason it is not.
     */
    static String opaqueLocalpartProblem(String localpart) {
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            if (c == 0) {
                return "contains NUL";
            }
            if (c == ':') {
                return "localpart contains ':'";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= localpart.length() || !Character.isLowSurrogate(localpart.charAt(i + 1))) {
                    return "contains an unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate";
            }
        }
        return null;
    }

    static void checkLength(String kind, String input) {
        if (utf8Length(input) > MAX_BYTES) {
            throw new InvalidIdentifierException(kind, input, "longer than " + MAX_BYTES + " bytes");
        }
    }

    static void checkSigil(String kind, String input, char sigil) {
        if (input == null) {
            throw new InvalidIdentifierException(kind, null, "missing");
        }
        if (input.isEmpty() || input.charAt(0) != sigil) {
            throw new InvalidIdentifierException(kind, input, "must start with '" + sigil + "'");
        }
    }

    /** True for the 43 characters of the unpadded base64 of a 32-byte hash, in the given alphabet. */
    static boolean isHashBase64(String s, int from, boolean urlSafe) {
        if (s.length() - from != 43) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || (urlSafe ? c == '-' || c == '_' : c == '+' || c == '/');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
