package dev.hyphae.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A report of a room, an event or a user ("Reporting content"), kept for the node's owner.
 *
 * @param reportId   the store's ID of the report, 0 before it is stored
 * @param reporter   the local user who reported
 * @param roomId     the room reported, or the room of the reported event
 * @param eventId    the event reported
 * @param userId     the user reported
 * @param receivedTs when the report arrived, in milliseconds since the epoch
 */
public record ContentReport(long reportId, String reporter, Optional<String> roomId, Optional<String> eventId,
        Optional<String> userId, String reason, long receivedTs) {
    public ContentReport {
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(reason, "reason");
        if (roomId.isEmpty() && userId.isEmpty()) {
            throw new IllegalArgumentException("a report names a room, an event in a room or a user");
        }
        if (eventId.isPresent() && roomId.isEmpty()) {
            throw new IllegalArgumentException("a reported event is reported with its room");
        }
    }

    /** A report of a room. */
    public static ContentReport ofRoom(String reporter, String roomId, String reason, long receivedTs) {
        return new ContentReport(0, reporter, Optional.of(roomId), Optional.empty(), Optional.empty(), reason,
                receivedTs);
    }

    /** A report of an event in a room. */
    public static ContentReport ofEvent(String reporter, String roomId, String eventId, String reason,
            long receivedTs) {
        return new ContentReport(0, reporter, Optional.of(roomId), Optional.of(eventId), Optional.empty(), reason,
                receivedTs);
    }

    /** A report of a user. */
    public static ContentReport ofUser(String reporter, String userId, String reason, long receivedTs) {
        return new ContentReport(0, reporter, Optional.empty(), Optional.empty(), Optional.of(userId), reason,
                receivedTs);
    }
}
