package dev.hyphae.node.identifier;

/** A room alias, {@code #localpart:server_name} (appendices, "Room Aliases"). */
public final class RoomAlias {
    private static final String KIND = "room alias";

    private final String value;
    private final String localpart;
    private final ServerName serverName;

    private RoomAlias(String value, String localpart, ServerName serverName) {
        this.value = value;
        this.localpart = localpart;
        this.serverName = serverName;
    }

    public static RoomAlias parse(String input) {
        IdentifierText.checkSigil(KIND, input, '#');
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
        return new RoomAlias(input, localpart, server);
    }

    public static RoomAlias of(String localpart, ServerName serverName) {
        return parse("#" + localpart + ":" + serverName);
    }

    public String localpart() {
        return localpart;
    }

    public ServerName serverName() {
        return serverName;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RoomAlias alias && alias.value.equals(value);
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
