package dev.hyphae.node.auth;

import java.nio.charset.StandardCharsets;

/** The few identifier checks the auth rules need (appendices: user IDs, server names). */
final class MatrixIds {
    private static final int MAX_USER_ID_BYTES = 255;

    private MatrixIds() {
    }

    /** The domain of a user, room (v1–v11) or event (v1–v2) ID: what follows the first {@code :}; "" when none. */
    static String domain(String id) {
        int colon = id.indexOf(':');
        return colon < 0 ? "" : id.substring(colon + 1);
    }

    /**
     * A user ID as servers must accept it over federation: {@code @}, a localpart of the historical
     * character set (anything but {@code :} and NUL, possibly empty), {@code :}, a server name, at
     * most 255 bytes in all. The historical set is accepted because the spec requires servers to
     * accept such senders in current room versions, and the v12 rule validates {@code
     * additional_creators} the same way as {@code sender}.
     */
    static boolean isUserId(String id) {
        if (id.length() < 3 || id.charAt(0) != '@') {
            return false;
        }
        int colon = id.indexOf(':');
        if (colon < 0 || id.indexOf('\0') >= 0) {
            return false;
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_USER_ID_BYTES) {
            return false;
        }
        return isServerName(id.substring(colon + 1));
    }

    /** server_name = hostname [ ":" port ], where hostname is a DNS name, IPv4 literal or [IPv6] literal. */
    static boolean isServerName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        String host = name;
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = name.charAt(i);
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            String rest = name.substring(close + 1);
            return rest.isEmpty() || isPort(rest);
        }
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            if (!isPort(name.substring(colon))) {
                return false;
            }
            host = name.substring(0, colon);
        }
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String colonAndPort) {
        if (colonAndPort.length() < 2 || colonAndPort.length() > 6 || colonAndPort.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < colonAndPort.length(); i++) {
            char c = colonAndPort.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
