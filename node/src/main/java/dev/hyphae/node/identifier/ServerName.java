package dev.hyphae.node.identifier;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A homeserver's name: {@code hostname [ ":" port ]}, where the hostname is an IPv4 literal, a
 * bracketed IPv6 literal or a DNS name (appendices, "Server Name"). Compared case-sensitively.
 */
public final class ServerName {
    private static final String KIND = "server name";

    private final String value;
    private final String host;
    private final int port;

    private ServerName(String value, String host, int port) {
        this.value = value;
        this.host = host;
        this.port = port;
    }

    public static ServerName parse(String input) {
        if (input == null) {
            throw new InvalidIdentifierException(KIND, null, "missing");
        }
        if (input.isEmpty()) {
            throw new InvalidIdentifierException(KIND, input, "empty");
        }
        String host;
        String portText = null;
        if (input.charAt(0) == '[') {
            int close = input.indexOf(']');
            if (close < 0) {
                throw new InvalidIdentifierException(KIND, input, "IPv6 literal has no closing ']'");
            }
            host = input.substring(0, close + 1);
            checkIpv6(input, input.substring(1, close));
            if (close + 1 < input.length()) {
                if (input.charAt(close + 1) != ':') {
                    throw new InvalidIdentifierException(KIND, input, "unexpected text after the IPv6 literal");
                }
                portText = input.substring(close + 2);
            }
        } else {
            int colon = input.indexOf(':');
            host = colon < 0 ? input : input.substring(0, colon);
            if (colon >= 0) {
                portText = input.substring(colon + 1);
            }
            checkDnsNameOrIpv4(input, host);
        }
        int port = portText == null ? -1 : parsePort(input, portText);
        return new ServerName(input, host, port);
    }

    private static void checkIpv6(String input, String literal) {
        if (literal.length() < 2 || literal.length() > 45) {
            throw new InvalidIdentifierException(KIND, input, "IPv6 literal must be 2 to 45 characters");
        }
        boolean colon = false;
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            colon |= c == ':';
            boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
            if (!ok) {
                throw new InvalidIdentifierException(KIND, input, "character '" + c + "' not allowed in an IPv6 literal");
            }
        }
        if (!colon) {
            throw new InvalidIdentifierException(KIND, input, "IPv6 literal has no ':'");
        }
    }

    private static void checkDnsNameOrIpv4(String input, String host) {
        if (host.isEmpty()) {
            throw new InvalidIdentifierException(KIND, input, "empty hostname");
        }
        if (host.length() > 255) {
            throw new InvalidIdentifierException(KIND, input, "hostname longer than 255 characters");
        }
        boolean allDigitsAndDots = true;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean ok = digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.';
            if (!ok) {
                throw new InvalidIdentifierException(KIND, input, "character '" + c + "' not allowed in a hostname");
            }
            allDigitsAndDots &= digit || c == '.';
        }
        // A dotted quad is an IPv4 literal, whose four numbers must each be 0 to 255.
        String[] parts = host.split("\\.", -1);
        if (allDigitsAndDots && parts.length == 4) {
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                    throw new InvalidIdentifierException(KIND, input, "IPv4 literal numbers must be 0 to 255");
                }
            }
        }
    }

    private static int parsePort(String input, String portText) {
        if (portText.isEmpty() || portText.length() > 5) {
            throw new InvalidIdentifierException(KIND, input, "port must be 1 to 5 digits");
        }
        for (int i = 0; i < portText.length(); i++) {
            char c = portText.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidIdentifierException(KIND, input, "port must be digits only");
            }
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw new InvalidIdentifierException(KIND, input, "port above 65535");
        }
        return port;
    }

    /** The hostname, with the brackets of an IPv6 literal. */
    public String host() {
        return host;
    }

    public OptionalInt port() {
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServerName name && name.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
