package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.store.EventInsertion;
import dev.hyphae.store.EventStateGroups;
import dev.hyphae.store.Membership;
import dev.hyphae.store.NewEvent;
import dev.hyphae.store.StateTuple;
import dev.hyphae.store.WriteTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stores accepted local events inside one write unit: each event with its stream ordering, the
 * state snapshots before and after it (the after state as a delta on the before state), the
 * room's new forward extremities and the membership an {@code m.room.member} event sets, hands
 * each event to the outbox for other servers, and queues the new-event notices for after the commit.
 */
final class RoomEventWriter {
    private final RoomEventNotifier notifier;
    private final RoomEventOutbox outbox;

    RoomEventWriter(RoomEventNotifier notifier) {
        this(notifier, RoomEventOutbox.NONE);
    }

    RoomEventWriter(RoomEventNotifier notifier, RoomEventOutbox outbox) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * Writes {@code events}, built one after another starting at {@code start}, and returns their
     * stream orderings in the same order.
     */
    List<Long> write(WriteTransaction tx, RoomHead start, List<Pdu> events) {
        return writeEvents(tx, start, events).streamOrderings();
    }

    /** What {@link #writeEvents} stored: the events' stream orderings and the state group after the last one. */
    record Written(List<Long> streamOrderings, long stateGroupAfter) {
    }

    /** {@link #write}, also telling the state group the room's state is stored in after the events. */
    Written writeEvents(WriteTransaction tx, RoomHead start, List<Pdu> events) {
        String roomId = start.roomId();
        long group = start.stateGroup() != null
                ? start.stateGroup()
                : tx.stateSnapshots().createSnapshot(roomId, tuples(start.state()));
        List<Long> orderings = new ArrayList<>(events.size());
        for (Pdu pdu : events) {
            String stateKey = pdu.stateKey().orElse(null);
            EventInsertion insertion = tx.events().insert(new NewEvent(pdu.eventId(), roomId, pdu.type(), stateKey,
                    pdu.sender(), pdu.depth(), pdu.originServerTs(),
                    new String(pdu.canonicalJson(), StandardCharsets.UTF_8), false, null, pdu.prevEventIds(),
                    pdu.authEventIds()));
            if (insertion instanceof EventInsertion.Duplicate) {
                // Event IDs are hashes over the prev events and timestamp: a duplicate means a bug upstream.
                throw new IllegalStateException("event " + pdu.eventId() + " is already stored");
            }
            long before = group;
            long after = stateKey == null
                    ? before
                    : tx.stateSnapshots().createDelta(before, Map.of(new StateTuple(pdu.type(), stateKey), pdu.eventId()),
                            Set.of());
            tx.stateSnapshots().setEventState(new EventStateGroups(pdu.eventId(), before, after));
            RoomRedactions.onAccepted(tx, pdu, insertion.streamOrdering());
            tx.forwardExtremities().advance(roomId, pdu.eventId(), pdu.prevEventIds());
            if ("m.room.member".equals(pdu.type()) && stateKey != null) {
                JsonNode membership = pdu.contentField("membership");
                if (membership.isTextual() && Membership.STATES.contains(membership.textValue())) {
                    tx.memberships().set(new Membership(roomId, stateKey, membership.textValue(), pdu.eventId()));
                }
            }
            outbox.queue(tx, pdu);
            group = after;
            long streamOrdering = insertion.streamOrdering();
            orderings.add(streamOrdering);
            String eventId = pdu.eventId();
            notifier.eventStored(tx, pdu, streamOrdering);
            tx.afterCommit(() -> notifier.notifyNewEvent(roomId, eventId, streamOrdering));
        }
        return new Written(orderings, group);
    }

    /** Queues {@code pdu} for the room's other servers, as for a local event. */
    void queueForOtherServers(WriteTransaction tx, Pdu pdu) {
        outbox.queue(tx, pdu);
    }

    /** Queues the new-event notice of an event written in {@code tx} for after the commit. */
    void notifyAfterCommit(WriteTransaction tx, String roomId, String eventId, long streamOrdering) {
        notifier.eventStored(tx, roomId, eventId);
        tx.afterCommit(() -> notifier.notifyNewEvent(roomId, eventId, streamOrdering));
    }

    static Map<StateTuple, String> tuples(Map<StateKey, String> state) {
        Map<StateTuple, String> tuples = new HashMap<>();
        state.forEach((key, id) -> tuples.put(new StateTuple(key.type(), key.stateKey()), id));
        return tuples;
    }
}
