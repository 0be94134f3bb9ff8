package dev.hyphae.node.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.DeviceLists;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import dev.hyphae.store.Membership;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code device_lists} section of an incremental /sync ("Extensions to /sync" of end-to-end
 * encryption). {@code changed}: users sharing a room with the requester whose device list or
 * cross-signing keys changed (local changes and remote ones other code records in the same
 * stream), and users who came to share a room with the requester. {@code left}: users with whom
 * the requester shares no room any more after a membership change. Membership changes are read
 * from the room event stream after the token's room position; the spec allows reporting a user
 * who joins a shared room as changed even if another room was already shared.
 */
final class DeviceListStreamProvider implements StreamProvider {
    /** Events read per page when looking for membership changes in one room. */
    private static final int PAGE = 100;
    /** Membership changes after the first this many events of one room since the last sync are not looked for. */
    private static final int MAX_PAGES = 10;

    private final DeviceLists deviceLists;
    private final RoomQueries queries;

    DeviceListStreamProvider(DeviceLists deviceLists, RoomQueries queries) {
        this.deviceLists = Objects.requireNonNull(deviceLists, "deviceLists");
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    @Override
    public long latestPosition() {
        return deviceLists.currentPosition();
    }

    @Override
    public long fill(SyncRequest request, long from, long to, SyncResponse response) {
        if (request.since().isEmpty()) {
            // Only an incremental sync carries device_lists; an initial one is followed by /keys/query.
            return to;
        }
        String user = request.userId();
        Set<String> changed = new TreeSet<>(deviceLists.changes(user, Math.min(from, to), to).changed());
        Set<String> leftCandidates = new TreeSet<>();
        long roomsFrom = request.since().get().position(SyncEndpoints.ROOM_EVENTS_STREAM);
        // The newest position, which may be past the room stream's end in this answer: a change
        // between the two is then reported twice, which clients take in their stride.
        long roomsTo = queries.currentToken().position();
        if (roomsTo > roomsFrom) {
            for (Membership membership : queries.memberships(user)) {
                membershipChanges(user, membership.roomId(), roomsFrom, roomsTo, changed, leftCandidates);
            }
        }
        List<String> left = leftCandidates.isEmpty() ? List.of()
                : deviceLists.noLongerSharingRoomWith(user, leftCandidates);
        changed.removeAll(left);
        if (!changed.isEmpty() || !left.isEmpty()) {
            ObjectNode section = response.section("device_lists");
            ArrayNode changedJson = section.putArray("changed");
            changed.forEach(changedJson::add);
            ArrayNode leftJson = section.putArray("left");
            left.forEach(leftJson::add);
        }
        return Math.max(from, to);
    }

    /** Adds whom the room's membership events in {@code (from, to]} bring into or out of view. */
    private void membershipChanges(String user, String roomId, long from, long to, Set<String> changed,
            Set<String> leftCandidates) {
        // Forwards from the last sync: an incremental sync reads the few events since then, not a page
        // of the room's history.
        long after = from;
        for (int i = 0; i < MAX_PAGES && after < to; i++) {
            List<RoomEvent> events = queries.eventsBetween(roomId, after, to, PAGE);
            for (RoomEvent event : events) {
                if (!event.outlier() && event.rejectionReason() == null && event.pdu().type().equals("m.room.member")) {
                    memberEvent(user, roomId, event.pdu(), changed, leftCandidates);
                }
            }
            if (events.size() < PAGE) {
                return;
            }
            after = events.get(events.size() - 1).streamOrdering();
        }
    }

    private void memberEvent(String user, String roomId, Pdu event, Set<String> changed, Set<String> leftCandidates) {
        String target = event.stateKey().orElse("");
        String membership = event.contentField("membership").asText("");
        Set<String> into = switch (membership) {
            case "join" -> changed;
            case "leave", "ban" -> leftCandidates;
            default -> null; // invites and knocks share no room yet
        };
        if (into == null) {
            return;
        }
        if (target.equals(user)) {
            // The requester joined or left: everyone in the room comes into or goes out of view.
            for (Membership member : queries.members(roomId)) {
                if (!member.userId().equals(user) && "join".equals(member.membership())) {
                    into.add(member.userId());
                }
            }
        } else {
            into.add(target);
        }
    }
}
