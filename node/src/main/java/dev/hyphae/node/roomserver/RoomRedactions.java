package dev.hyphae.node.roomserver;

import dev.hyphae.node.auth.RedactLevel;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.relations.RelationIndex;
import dev.hyphae.store.EventStateGroups;
import dev.hyphae.store.StateTuple;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.WriteTransaction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What storing an accepted room event does besides storing it: its relation is indexed, and
 * redactions take effect ("Handling redactions" of the room versions). The auth rules accept every
 * redaction; the server applies one only once both it and the event it names are stored, and only
 * when the redaction's sender reaches the redact level in the state before the redaction or has the
 * same server name as the redacted event's sender. Until then the redaction is pending (and hidden
 * from clients by {@link RoomQueries}); the arrival of the redacted event checks again.
 *
 * <p>Applying a redaction replaces the stored event with its redacted form: the original content is
 * not kept anywhere (this node does not offer the content to moderators afterwards). The redacted
 * form keeps its hashes and signatures, which cover exactly the redacted form, so it still verifies
 * when served over federation (its content hash no longer matches, as for any redacted event).
 */
final class RoomRedactions {
    private static final StateKey CREATE = StateKey.of("m.room.create", "");
    private static final StateKey POWER_LEVELS = StateKey.of("m.room.power_levels", "");

    private RoomRedactions() {
    }

    /** Runs in the write that stored {@code pdu}, accepted, with its state groups. */
    static void onAccepted(WriteTransaction tx, Pdu pdu, long streamOrdering) {
        RelationIndex.index(tx, pdu, streamOrdering);
        if ("m.room.redaction".equals(pdu.type())) {
            Optional<String> target = pdu.redacts();
            if (target.isPresent()) {
                tx.redactions().addPending(pdu.eventId(), target.get(), pdu.roomId());
                tryApply(tx, pdu, target.get());
            }
        }
        List<String> waiting = tx.redactions().pendingFor(pdu.eventId());
        if (!waiting.isEmpty()) {
            tx.events().getAll(waiting).values().forEach(redaction ->
                    tryApply(tx, RoomHeadLoader.toPdu(redaction, pdu.roomVersion()), pdu.eventId()));
        }
    }

    private static void tryApply(WriteTransaction tx, Pdu redaction, String targetId) {
        StoredEvent target = tx.events().get(targetId).orElse(null);
        if (target == null || target.isRejected() || !target.roomId().equals(redaction.roomId())
                || !allowed(tx, redaction, target)) {
            return;
        }
        Pdu redacted = RoomHeadLoader.toPdu(target, redaction.roomVersion()).redacted();
        tx.events().replaceJson(targetId, new String(redacted.canonicalJson(), StandardCharsets.UTF_8));
        tx.redactions().markApplied(redaction.eventId(), targetId);
        RelationIndex.unindex(tx, targetId);
        // The redacted text must not stay findable in the full-text index either.
        tx.eventSearch().remove(targetId);
    }

    /** The two conditions of "Handling redactions", either of which lets the server apply it. */
    private static boolean allowed(WriteTransaction tx, Pdu redaction, StoredEvent target) {
        if (serverName(redaction.sender()).equals(serverName(target.sender()))) {
            return true;
        }
        Optional<EventStateGroups> groups = tx.stateSnapshots().eventState(redaction.eventId());
        if (groups.isEmpty()) {
            return false;
        }
        Map<StateTuple, String> before = tx.stateSnapshots().state(groups.get().stateBeforeGroup());
        Map<StateKey, Pdu> state = new HashMap<>();
        for (StateKey key : List.of(CREATE, POWER_LEVELS)) {
            String id = before.get(new StateTuple(key.type(), key.stateKey()));
            if (id != null) {
                tx.events().get(id).ifPresent(event -> state.put(key, RoomHeadLoader.toPdu(event, redaction.roomVersion())));
            }
        }
        return RedactLevel.reachedBy(redaction.sender(), state, redaction.roomVersion());
    }

    private static String serverName(String userId) {
        int colon = userId.indexOf(':');
        return colon < 0 ? "" : userId.substring(colon + 1);
    }
}
