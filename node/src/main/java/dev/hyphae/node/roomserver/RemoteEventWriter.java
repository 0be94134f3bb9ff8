package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.store.EventInsertion;
import dev.hyphae.store.EventStateGroups;
import dev.hyphae.store.Membership;
import dev.hyphae.store.NewEvent;
import dev.hyphae.store.Room;
import dev.hyphae.store.StateTuple;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.WriteTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Stores events received from other servers, the counterpart of {@link RoomEventWriter} for local
 * events: outliers (auth and state events fetched on their own, invites to rooms this node is not
 * in), and room events with the state before them, accepted, rejected or soft-failed. Deciding which
 * is the federation code's work; this class writes what it is told in one store write, under the
 * same per-room lock local sends take, and wakes /sync after the commit.
 */
public final class RemoteEventWriter {
    /** How a received room event came out of the checks on receipt. */
    public enum Outcome {
        /** Passed every check: part of the room's state and timeline, a new forward extremity. */
        ACCEPTED,
        /** Failed the auth rules against its auth events or the state before it: kept, never used. */
        REJECTED,
        /**
         * Passed against the state before it but not against the room's current state: its state is
         * recorded so later events can build on it, but it is neither shown to clients nor an extremity.
         */
        SOFT_FAILED
    }

    private final RoomEventSender sender;
    private final Clock clock;

    public RemoteEventWriter(RoomEventSender sender, Clock clock) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs {@code action} holding the room's lock, the one local sends to the room hold. */
    public <T> T withRoom(String roomId, Supplier<T> action) {
        return sender.locks().withRoom(roomId, action);
    }

    /**
     * Stores events as outliers of the room (creating the room record when absent); events already
     * stored are left as they are. {@code rejections} gives the reason for those the auth rules
     * rejected.
     */
    public void writeOutliers(String roomId, RoomVersion version, Collection<Pdu> events, Map<String, String> rejections) {
        Objects.requireNonNull(rejections, "rejections");
        if (events.isEmpty()) {
            ensureRoom(roomId, version);
            return;
        }
        sender.commit(tx -> {
            insertRoom(tx, roomId, version);
            for (Pdu pdu : events) {
                insert(tx, roomId, pdu, true, rejections.get(pdu.eventId()));
            }
            return null;
        });
    }

    /** Creates the room record (room ID and version) when this node does not know the room yet. */
    public void ensureRoom(String roomId, RoomVersion version) {
        sender.commit(tx -> insertRoom(tx, roomId, version));
    }

    /**
     * Stores the membership event of a local user in a room this node is not in (an invite received
     * from the inviting server, or the leave that rejected it) as an outlier, sets the user's
     * membership from it, and wakes the user's /sync.
     */
    public void writeOutlierMembership(String roomId, Pdu member) {
        String userId = member.stateKey().orElseThrow(() -> new IllegalArgumentException("a membership has a state key"));
        String membership = member.contentField("membership").asText("");
        if (!"m.room.member".equals(member.type()) || !Membership.STATES.contains(membership)) {
            throw new IllegalArgumentException(member.eventId() + " is not a membership event");
        }
        sender.commit(tx -> {
            insertRoom(tx, roomId, member.roomVersion());
            long ordering = insert(tx, roomId, member, true, null);
            tx.memberships().set(new Membership(roomId, userId, membership, member.eventId()));
            sender.writer().notifyAfterCommit(tx, roomId, member.eventId(), ordering);
            return null;
        });
    }

    /**
     * Stores one room event with the state before it, as {@code outcome} says. For an accepted
     * event, {@code extremities} becomes the room's set of forward extremities and
     * {@code currentState} is the room's state after them: memberships that differ from it are
     * updated. Other outcomes leave extremities and memberships alone. An event stored before as an
     * outlier is made part of the room's timeline. Returns the event's stream ordering.
     */
    public long write(String roomId, Pdu pdu, Map<StateKey, String> stateBefore, Outcome outcome, String rejectionReason,
            Set<String> extremities, Map<StateKey, String> currentState) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.REJECTED && (rejectionReason == null || rejectionReason.isBlank())) {
            throw new IllegalArgumentException("a rejected event needs its reason");
        }
        return sender.commit(tx -> {
            insertRoom(tx, roomId, pdu.roomVersion());
            boolean outlier = outcome == Outcome.SOFT_FAILED;
            long ordering = insert(tx, roomId, pdu, outlier, outcome == Outcome.REJECTED ? rejectionReason : null);
            long before = stateGroup(tx, roomId, pdu, stateBefore);
            long after = before;
            if (outcome != Outcome.REJECTED && pdu.stateKey().isPresent()) {
                after = tx.stateSnapshots().createDelta(before,
                        Map.of(new StateTuple(pdu.type(), pdu.stateKey().get()), pdu.eventId()), Set.of());
            }
            tx.stateSnapshots().setEventState(new EventStateGroups(pdu.eventId(), before, after));
            if (outcome == Outcome.ACCEPTED) {
                RoomRedactions.onAccepted(tx, pdu, ordering);
                tx.forwardExtremities().replace(roomId, new HashSet<>(extremities));
                updateMemberships(tx, roomId, pdu.roomVersion(), currentState);
                sender.writer().notifyAfterCommit(tx, roomId, pdu.eventId(), ordering);
            }
            return ordering;
        });
    }

    /**
     * A received room event for {@link #writeOnExtremities}: accepted when {@code rejectionReason}
     * is null, else rejected with that reason.
     */
    public record Received(Pdu pdu, Map<StateKey, String> stateBefore, String rejectionReason) {
        public Received {
            Objects.requireNonNull(pdu, "pdu");
            Objects.requireNonNull(stateBefore, "stateBefore");
            if (rejectionReason != null && rejectionReason.isBlank()) {
                throw new IllegalArgumentException("a rejected event needs its reason");
            }
        }

        public boolean accepted() {
            return rejectionReason == null;
        }
    }

    /**
     * Stores room events received one after another on the room's forward extremities, in one
     * store write: the prev events of each were exactly the extremities its predecessors left, so
     * its state before is the room's current state, an accepted one becomes the only extremity and
     * alone changes the current state (the memberships follow its member event), and a rejected one
     * changes nothing. {@code extremities} is the room's set of forward extremities after them all.
     * Returns the events' stream orderings, in order.
     */
    public List<Long> writeOnExtremities(String roomId, List<Received> events, Set<String> extremities) {
        Objects.requireNonNull(extremities, "extremities");
        if (events.isEmpty()) {
            return List.of();
        }
        return sender.commit(tx -> {
            insertRoom(tx, roomId, events.get(0).pdu().roomVersion());
            // The state after each accepted event of this write: the next one's state before.
            Map<String, Long> afterGroups = new HashMap<>();
            String lastAccepted = null;
            List<Long> orderings = new ArrayList<>();
            for (Received received : events) {
                Pdu pdu = received.pdu();
                long ordering = insert(tx, roomId, pdu, false, received.rejectionReason());
                // With one prev event, the current state it was checked against is the state after it.
                Long before = pdu.prevEventIds().size() != 1 ? null
                        : Optional.ofNullable(afterGroups.get(pdu.prevEventIds().get(0)))
                                .or(() -> tx.stateSnapshots().eventState(pdu.prevEventIds().get(0))
                                        .map(EventStateGroups::stateAfterGroup))
                                .orElse(null);
                if (before == null) {
                    before = stateGroup(tx, roomId, pdu, received.stateBefore());
                }
                long after = before;
                if (received.accepted() && pdu.stateKey().isPresent()) {
                    after = tx.stateSnapshots().createDelta(before,
                            Map.of(new StateTuple(pdu.type(), pdu.stateKey().get()), pdu.eventId()), Set.of());
                }
                tx.stateSnapshots().setEventState(new EventStateGroups(pdu.eventId(), before, after));
                if (received.accepted()) {
                    afterGroups.put(pdu.eventId(), after);
                    lastAccepted = pdu.eventId();
                    RoomRedactions.onAccepted(tx, pdu, ordering);
                    updateMembership(tx, roomId, pdu);
                    sender.writer().notifyAfterCommit(tx, roomId, pdu.eventId(), ordering);
                }
                orderings.add(ordering);
            }
            if (lastAccepted != null) {
                tx.forwardExtremities().replace(roomId, new HashSet<>(extremities));
            }
            return orderings;
        });
    }

    /** The membership an accepted member event that became part of the current state sets. */
    private static void updateMembership(WriteTransaction tx, String roomId, Pdu pdu) {
        if (!"m.room.member".equals(pdu.type()) || pdu.stateKey().isEmpty()) {
            return;
        }
        JsonNode membership = pdu.contentField("membership");
        if (membership.isTextual() && Membership.STATES.contains(membership.textValue())) {
            tx.memberships().set(new Membership(roomId, pdu.stateKey().get(), membership.textValue(), pdu.eventId()));
        }
    }

    /**
     * Passes an event another server sent to this one on to the room's other servers: the joins,
     * leaves and knocks this node accepted as the resident server of the handshake, which only it
     * has. Queued durably like a local event.
     */
    public void forward(Pdu pdu) {
        sender.commit(tx -> {
            sender.writer().queueForOtherServers(tx, pdu);
            return null;
        });
    }

    /**
     * A state group holding {@code state}: stored as a delta on the state after one of the event's
     * prev events (their group itself when nothing differs), so that a room's events do not each
     * store a full copy of its state.
     */
    private static long stateGroup(WriteTransaction tx, String roomId, Pdu pdu, Map<StateKey, String> state) {
        Map<StateTuple, String> wanted = RoomEventWriter.tuples(state);
        for (String prev : pdu.prevEventIds()) {
            Optional<EventStateGroups> groups = tx.stateSnapshots().eventState(prev);
            if (groups.isEmpty()) {
                continue;
            }
            long base = groups.get().stateAfterGroup();
            Map<StateTuple, String> baseState = tx.stateSnapshots().state(base);
            Map<StateTuple, String> changed = new HashMap<>();
            wanted.forEach((tuple, id) -> {
                if (!id.equals(baseState.get(tuple))) {
                    changed.put(tuple, id);
                }
            });
            Set<StateTuple> removed = new HashSet<>(baseState.keySet());
            removed.removeAll(wanted.keySet());
            if (changed.isEmpty() && removed.isEmpty()) {
                return base;
            }
            return tx.stateSnapshots().createDelta(base, changed, removed);
        }
        return tx.stateSnapshots().createSnapshot(roomId, wanted);
    }

    private static void updateMemberships(WriteTransaction tx, String roomId, RoomVersion version,
            Map<StateKey, String> currentState) {
        Map<String, String> memberEvents = new HashMap<>();
        currentState.forEach((key, id) -> {
            if (key.type().equals("m.room.member")) {
                memberEvents.put(key.stateKey(), id);
            }
        });
        Map<String, String> known = new HashMap<>();
        for (Membership membership : tx.memberships().inRoom(roomId)) {
            known.put(membership.userId(), membership.eventId());
        }
        List<String> changed = memberEvents.entrySet().stream()
                .filter(entry -> !entry.getValue().equals(known.get(entry.getKey())))
                .map(Map.Entry::getValue).toList();
        Map<String, StoredEvent> events = tx.events().getAll(changed);
        memberEvents.forEach((userId, id) -> {
            StoredEvent event = events.get(id);
            if (event == null) {
                return;
            }
            JsonNode membership = RoomHeadLoader.toPdu(event, version).contentField("membership");
            if (membership.isTextual() && Membership.STATES.contains(membership.textValue())) {
                tx.memberships().set(new Membership(roomId, userId, membership.textValue(), id));
            }
        });
    }

    private boolean insertRoom(WriteTransaction tx, String roomId, RoomVersion version) {
        return tx.rooms().insert(new Room(roomId, version.id(), clock.millis()));
    }

    /** Inserts the event, or makes a stored outlier part of the timeline; returns its stream ordering. */
    private static long insert(WriteTransaction tx, String roomId, Pdu pdu, boolean outlier, String rejectionReason) {
        EventInsertion insertion = tx.events().insert(new NewEvent(pdu.eventId(), roomId, pdu.type(),
                pdu.stateKey().orElse(null), pdu.sender(), pdu.depth(), pdu.originServerTs(),
                new String(pdu.canonicalJson(), StandardCharsets.UTF_8), outlier, rejectionReason, pdu.prevEventIds(),
                pdu.authEventIds()));
        if (insertion instanceof EventInsertion.Duplicate duplicate) {
            StoredEvent existing = duplicate.existing();
            if (rejectionReason != null && !existing.isRejected()) {
                tx.events().reject(pdu.eventId(), rejectionReason);
            }
            if (!outlier && existing.outlier()) {
                tx.events().markNotOutlier(pdu.eventId());
                return tx.events().get(pdu.eventId()).orElseThrow().streamOrdering();
            }
        }
        return insertion.streamOrdering();
    }
}
