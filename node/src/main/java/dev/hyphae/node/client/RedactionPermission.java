package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.auth.RedactLevel;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.roomserver.RoomEvent;
import dev.hyphae.node.roomserver.RoomQueries;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a local user may redact an event, checked before the redaction is sent: their own events
 * always, other users' events only at the room's redact level. The federation rule that a sender of
 * the same server may redact (which every local user would meet) is for redactions from other
 * servers; a local user does not get it.
 */
final class RedactionPermission {
    private static final List<StateKey> LEVEL_STATE = List.of(StateKey.of("m.room.create", ""),
            StateKey.of("m.room.power_levels", ""));

    private final RoomQueries queries;

    RedactionPermission(RoomQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /**
     * @throws MatrixException M_NOT_FOUND when the room holds no such event, M_FORBIDDEN when the
     *                         user may not redact it
     */
    void require(String roomId, String userId, String redactedEventId) {
        RoomEvent target = queries.event(redactedEventId)
                .filter(event -> event.pdu().roomId().equals(roomId) && event.rejectionReason() == null)
                .orElseThrow(() -> MatrixException.notFound("No event " + redactedEventId + " in " + roomId));
        if (target.pdu().sender().equals(userId)) {
            return;
        }
        Map<StateKey, RoomEvent> current = ServiceErrors.call(() -> queries.currentState(roomId));
        Map<StateKey, Pdu> state = new HashMap<>();
        for (StateKey key : LEVEL_STATE) {
            RoomEvent event = current.get(key);
            if (event != null) {
                state.put(key, event.pdu());
            }
        }
        if (!RedactLevel.reachedBy(userId, state, target.pdu().roomVersion())) {
            throw MatrixException.forbidden("Redacting another user's event needs the room's redact power level");
        }
    }

    /** The event an {@code m.room.redaction} content names, when it names one. */
    static Optional<String> redacts(ObjectNode content) {
        JsonNode redacts = content.get("redacts");
        return redacts != null && redacts.isTextual() ? Optional.of(redacts.textValue()) : Optional.empty();
    }
}
