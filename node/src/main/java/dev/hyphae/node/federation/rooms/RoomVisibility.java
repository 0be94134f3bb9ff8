package dev.hyphae.node.federation.rooms;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.identifier.InvalidIdentifierException;
import dev.hyphae.node.identifier.UserId;
import dev.hyphae.node.room.RoomVersion;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which rooms and events another server may see: a room's events only while one of its users is
 * in the room, and each event as the room's {@code m.room.history_visibility} at that event allows
 * ("world_readable" and "shared": any server in the room now; "invited": a user of the server
 * invited or joined at the event; "joined": joined at the event).
 */
final class RoomVisibility {
    private static final StateKey HISTORY_VISIBILITY = StateKey.of("m.room.history_visibility", "");

    private final RoomEvents events;

    RoomVisibility(RoomEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Whether a user of {@code server} is joined to the room now. */
    boolean serverInRoom(String server, String roomId) {
        return events.read(tx -> tx.memberships().inRoom(roomId)).stream()
                .anyMatch(membership -> membership.membership().equals("join")
                        && server.equals(serverOf(membership.userId())));
    }

    /** Whether {@code server} may see the event. */
    boolean maySee(String server, Pdu pdu) {
        RoomVersion version = pdu.roomVersion();
        Optional<Map<StateKey, String>> state = events.stateAfter(pdu.eventId()).or(() -> events.stateBefore(pdu.eventId()));
        if (state.isEmpty()) {
            return serverInRoom(server, pdu.roomId());
        }
        Map<StateKey, Pdu> stateEvents = events.stateEvents(state.get(), version);
        Pdu visibilityEvent = stateEvents.get(HISTORY_VISIBILITY);
        String visibility = visibilityEvent == null ? "shared"
                : visibilityEvent.contentField("history_visibility").asText("shared");
        return switch (visibility) {
            case "world_readable" -> true;
            case "invited" -> memberAtEvent(server, stateEvents, Set.of("join", "invite"));
            case "joined" -> memberAtEvent(server, stateEvents, Set.of("join"));
            default -> serverInRoom(server, pdu.roomId()) || memberAtEvent(server, stateEvents, Set.of("join"));
        };
    }

    private static boolean memberAtEvent(String server, Map<StateKey, Pdu> state, Set<String> memberships) {
        for (Map.Entry<StateKey, Pdu> entry : state.entrySet()) {
            if (entry.getKey().type().equals("m.room.member")
                    && server.equals(serverOf(entry.getKey().stateKey()))
                    && memberships.contains(entry.getValue().contentField("membership").asText(""))) {
                return true;
            }
        }
        return false;
    }

    static String serverOf(String userId) {
        try {
            return UserId.parse(userId).serverName().toString();
        } catch (InvalidIdentifierException e) {
            return "";
        }
    }

}
