package dev.hyphae.node.federation;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Authorization: X-Matrix ...} header of a federation request (server-server API,
 * "Request Authentication"): the scheme, then comma-separated {@code name=value} parameters whose
 * names are case-insensitive and whose values may be quoted with backslash escapes; unknown
 * parameters are ignored and, for older servers, colons are allowed in unquoted values.
 *
 * @param origin      the sending server's name
 * @param destination the receiving server's name, empty when an older sender left it out
 * @param key         the ID of the key that signed, such as {@code ed25519:abc}
 * @param signature   the unpadded base64 signature
 */
public record XMatrixHeader(String origin, Optional<String> destination, String key, String signature) {
    private static final String SCHEME = "X-Matrix";

    public XMatrixHeader {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signature, "signature");
    }

    /** The header value as the spec asks senders to write it: one space, lower-case names, quoted values, no spaces. */
    public String format() {
        StringBuilder out = new StringBuilder(SCHEME).append(' ');
        out.append("origin=").append(quote(origin));
        destination.ifPresent(d -> out.append(",destination=").append(quote(d)));
        out.append(",key=").append(quote(key));
        out.append(",sig=").append(quote(signature));
        return out.toString();
    }

    /**
     * Reads an {@code Authorization} header value.
     *
     * @throws IllegalArgumentException saying what is wrong: another scheme, a malformed
     *                                  parameter list, or a missing origin, key or sig
     */
    public static XMatrixHeader parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no Authorization header");
        }
        String text = value.strip();
        int space = indexOfWhitespace(text);
        if (space < 0 || !text.substring(0, space).equalsIgnoreCase(SCHEME)) {
            throw new IllegalArgumentException("the Authorization scheme is not X-Matrix");
        }
        Map<String, String> params = parameters(text.substring(space));
        String origin = params.get("origin");
        String key = params.get("key");
        String sig = params.get("sig");
        if (origin == null || origin.isEmpty()) {
            throw new IllegalArgumentException("the X-Matrix header has no origin");
        }
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("the X-Matrix header has no key");
        }
        if (sig == null || sig.isEmpty()) {
            throw new IllegalArgumentException("the X-Matrix header has no sig");
        }
        return new XMatrixHeader(origin, Optional.ofNullable(params.get("destination")), key, sig);
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ' || text.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** Parses {@code name=value} pairs separated by commas, with optional whitespace around them. */
    private static Map<String, String> parameters(String text) {
        Map<String, String> params = new HashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            i = skipWhitespace(text, i);
            if (i >= n) {
                break;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                throw new IllegalArgumentException("X-Matrix parameter without '=' at position " + i);
            }
            String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !isToken(name)) {
                throw new IllegalArgumentException("X-Matrix parameter name is not a token: '" + name + "'");
            }
            i = equals + 1;
            StringBuilder valueText = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\') {
                        if (i >= n) {
                            break;
                        }
                        valueText.append(text.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        valueText.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("X-Matrix parameter " + name + " has an unterminated quote");
                }
            } else {
                int end = i;
                while (end < n && text.charAt(end) != ',' && text.charAt(end) != ' ' && text.charAt(end) != '\t') {
                    end++;
                }
                valueText.append(text, i, end);
                i = end;
            }
            if (params.putIfAbsent(name, valueText.toString()) != null) {
                throw new IllegalArgumentException("X-Matrix parameter " + name + " appears twice");
            }
            i = skipWhitespace(text, i);
            if (i < n) {
                if (text.charAt(i) != ',') {
                    throw new IllegalArgumentException("X-Matrix parameters must be separated by commas");
                }
                i++;
            }
        }
        return params;
    }

    private static int skipWhitespace(String text, int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
