package dev.hyphae.node.identifier;

import java.util.Optional;

/**
 * An event ID (appendices, "Event IDs"): {@code $opaque_id:server_name} in room versions 1 and 2,
 * {@code $} and the unpadded base64 reference hash in version 3, and {@code $} and the URL-safe
 * unpadded base64 reference hash from version 4 on.
 */
public final class EventId {
    private static final String KIND = "event ID";

    private final String value;
    private final ServerName serverName;

    private EventId(String value, ServerName serverName) {
        this.value = value;
        this.serverName = serverName;
    }

    public static EventId parse(String input) {
        IdentifierText.checkSigil(KIND, input, '$');
        IdentifierText.checkLength(KIND, input);
        int colon = input.indexOf(':');
        if (colon < 0) {
            if (!IdentifierText.isHashBase64(input, 1, true) && !IdentifierText.isHashBase64(input, 1, false)) {
                throw new InvalidIdentifierException(KIND, input,
                        "without a server name it must be 43 characters of unpadded base64 (a reference hash)");
            }
            return new EventId(input, null);
        }
        String localpart = input.substring(1, colon);
        if (localpart.isEmpty()) {
            throw new InvalidIdentifierException(KIND, input, "empty opaque part");
        }
        String problem = IdentifierText.opaqueLocalpartProblem(localpart);
        if (problem != null) {
            throw new InvalidIdentifierException(KIND, input, problem);
        }
        try {
            return new EventId(input, ServerName.parse(input.substring(colon + 1)));
        } catch (InvalidIdentifierException e) {
            throw new InvalidIdentifierException(KIND, input, e.getMessage());
        }
    }

    /** The server named in a room version 1 or 2 event ID; absent for hash event IDs. */
    public Optional<ServerName> serverName() {
        return Optional.ofNullable(serverName);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventId id && id.value.equals(value);
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
