package dev.hyphae.node.roomserver;

/**
 * A position in the node's event stream, between the event with stream ordering
 * {@link #position()} and the next one. Clients see it as an opaque string ({@code s42}).
 */
public record StreamToken(long position) {
    private static final String PREFIX = "s";

    public StreamToken {
        if (position < 0) {
            throw new IllegalArgumentException("stream position must not be negative: " + position);
        }
    }

    /**
     * Reads a token a client sends back.
     *
     * @throws RoomServerException BAD_REQUEST when the string is not a token this node made
     */
    public static StreamToken parse(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() == PREFIX.length() || token.length() > 20) {
            throw RoomServerException.badRequest("not a pagination token: " + token);
        }
        for (int i = PREFIX.length(); i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                throw RoomServerException.badRequest("not a pagination token: " + token);
            }
        }
        return new StreamToken(Long.parseLong(token.substring(PREFIX.length())));
    }

    @Override
    public String toString() {
        return PREFIX + position;
    }
}
