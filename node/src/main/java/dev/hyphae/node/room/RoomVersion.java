package dev.hyphae.node.room;

import java.util.Objects;

/**
 * One room version: the strategies a room of that version uses (event format, redaction, auth
 * rules, state resolution) and its other flags. Instances come from {@link RoomVersions}.
 */
public record RoomVersion(
        String id,
        EventFormat eventFormat,
        RedactionRules redaction,
        AuthRules authRules,
        StateResolutionAlgorithm stateResolution,
        /** v5+: signatures count only while the key's {@code valid_until_ts} covers the event. */
        boolean enforcesKeyValidity,
        /** v6+: events must be canonical JSON: integers in range, no floats. */
        boolean strictCanonicalJson,
        /** v11+: {@code redacts} is a content key of {@code m.room.redaction}. */
        boolean redactsInContent,
        /** v12: the room ID is derived from the create event's ID; the create event has no room_id. */
        boolean roomIdFromCreateEvent) {

    public RoomVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventFormat, "eventFormat");
        Objects.requireNonNull(redaction, "redaction");
        Objects.requireNonNull(authRules, "authRules");
        Objects.requireNonNull(stateResolution, "stateResolution");
    }
}
