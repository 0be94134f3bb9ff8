package dev.hyphae.node.identifier;

/**
 * A Matrix user ID, {@code @localpart:server_name} (appendices, "User Identifiers").
 *
 * <p>{@link #parse(String)} accepts historical user IDs, whose localpart may be any non-surrogate
 * code points except {@code :} and NUL (even empty), because servers must accept them in events
 * from other servers. {@link #parseCompliant(String)} and {@link #of(String, ServerName)} enforce
 * the current grammar ({@code a-z 0-9 . _ = - / +}) for IDs this server creates or hands out.
 */
public final class UserId {
    private static final String KIND = "user ID";

    private final String value;
    private final String localpart;
    private final ServerName serverName;

    private UserId(String value, String localpart, ServerName serverName) {
        this.value = value;
        this.localpart = localpart;
        this.serverName = serverName;
    }

    /** Parses a user ID, accepting historical localparts. */
    public static UserId parse(String input) {
        IdentifierText.checkSigil(KIND, input, '@');
        IdentifierText.checkLength(KIND, input);
        int colon = input.indexOf(':');
        if (colon < 0) {
            throw new InvalidIdentifierException(KIND, input, "no ':' before the server name");
        }
        String localpart = input.substring(1, colon);
        String problem = IdentifierText.opaqueLocalpartProblem(localpart);
        if (problem != null) {
            throw new InvalidIdentifierException(KIND, input, problem);
        }
        ServerName server;
        try {
            server = ServerName.parse(input.substring(colon + 1));
        } catch (InvalidIdentifierException e) {
            throw new InvalidIdentifierException(KIND, input, e.getMessage());
        }
        return new UserId(input, localpart, server);
    }

    /** Parses a user ID that must follow the current grammar. */
    public static UserId parseCompliant(String input) {
        UserId id = parse(input);
        String problem = localpartProblem(id.localpart);
        if (problem != null) {
            throw new InvalidIdentifierException(KIND, input, problem);
        }
        return id;
    }

    /** The user ID with this (compliant) localpart on this server. */
    public static UserId of(String localpart, ServerName serverName) {
        return parseCompliant("@" + localpart + ":" + serverName);
    }

    /** Null when {@code localpart} follows the current user ID grammar, else the reason. */
    public static String localpartProblem(String localpart) {
        if (localpart.isEmpty()) {
            return "empty localpart";
        }
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '=' || c == '-' || c == '/' || c == '+';
            if (!ok) {
                return "character '" + c + "' not allowed in a user ID localpart (allowed: a-z 0-9 . _ = - / +)";
            }
        }
        return null;
    }

    /** True when the localpart follows the current grammar, false for historical user IDs. */
    public boolean isCompliant() {
        return localpartProblem(localpart) == null;
    }

    public String localpart() {
        return localpart;
    }

    public ServerName serverName() {
        return serverName;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserId id && id.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
