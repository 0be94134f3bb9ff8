package dev.hyphae.node.identifier;

import java.util.Optional;

/**
 * A room ID (appendices, "Room IDs"): {@code !opaque_id:server_name} up to room version 11, or in
 * room version 12 {@code !} followed by the URL-safe unpadded base64 reference hash of the room's
 * create event (its event ID with {@code !} for {@code $}), with no server name.
 */
public final class RoomId {
    private static final String KIND = "room ID";

    private final String value;
    private final ServerName serverName;

    private RoomId(String value, ServerName serverName) {
        this.value = value;
        this.serverName = serverName;
    }

    public static RoomId parse(String input) {
        IdentifierText.checkSigil(KIND, input, '!');
        IdentifierText.checkLength(KIND, input);
        int colon = input.indexOf(':');
        if (colon < 0) {
            if (!IdentifierText.isHashBase64(input, 1, true)) {
                throw new InvalidIdentifierException(KIND, input,
                        "without a server name it must be 43 characters of URL-safe unpadded base64");
            }
            return new RoomId(input, null);
        }
        String localpart = input.substring(1, colon);
        if (localpart.isEmpty()) {
            throw new InvalidIdentifierException(KIND, input, "empty localpart");
        }
        String problem = IdentifierText.opaqueLocalpartProblem(localpart);
        if (problem != null) {
            throw new InvalidIdentifierException(KIND, input, problem);
        }
        try {
            return new RoomId(input, ServerName.parse(input.substring(colon + 1)));
        } catch (InvalidIdentifierException e) {
            throw new InvalidIdentifierException(KIND, input, e.getMessage());
        }
    }

    /** The room version 12 room ID of the room whose create event has this ID. */
    public static RoomId fromCreateEventId(EventId createEventId) {
        return parse("!" + createEventId.toString().substring(1));
    }

    /** The server that created the room, absent for room version 12 room IDs. */
    public Optional<ServerName> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** True for a room version 12 room ID (a create event hash, no server name). */
    public boolean isHashForm() {
        return serverName == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RoomId id && id.value.equals(value);
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
