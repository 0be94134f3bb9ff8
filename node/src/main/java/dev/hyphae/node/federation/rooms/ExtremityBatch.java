package dev.hyphae.node.federation.rooms;

import dev.hyphae.node.acl.ServerAcl;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.auth.AuthorizationRules;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.node.roomserver.RemoteEventWriter.Received;
import dev.hyphae.store.StoredEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common case of the checks on receipt of a PDU, for the events of one room in one
 * transaction: each event's prev events are exactly the room's forward extremities (usually the
 * event before it in the same transaction). Then the state before the event is the room's current
 * state, known in memory from the previous event, without reading or resolving state again; the
 * check against the current state (soft failure) is the check against the state before it; an
 * accepted event becomes the only extremity and its state after is the new current state. Every
 * check of the full pipeline still runs: format (done by the caller), server ACL, signatures and
 * hashes, the auth events, the state before. The events are stored together in one store write.
 *
 * <p>An event outside that case (already stored, other prev events, unknown auth events) ends the
 * batch: the caller hands it to the full pipeline.
 */
final class ExtremityBatch {
    private static final Logger LOG = LoggerFactory.getLogger(ExtremityBatch.class);
    /** Rooms whose current state is kept between transactions. */
    private static final int RECENT_STATES = 64;
    private static final StateKey SERVER_ACL = StateKey.of("m.room.server_acl", "");

    private final RoomEvents events;
    private final PduChecks checks;
    private final AuthChecks auth;
    private final RemoteEventWriter writer;
    /**
     * The state after recent sets of forward extremities, the batches' starting points: the state
     * after stored events never changes, so an entry is never stale, only evicted.
     */
    private final Map<Set<String>, Map<StateKey, String>> recentStates = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Set<String>, Map<StateKey, String>> eldest) {
                    return size() > RECENT_STATES;
                }
            });

    ExtremityBatch(RoomEvents events, PduChecks checks, AuthChecks auth, RemoteEventWriter writer) {
        this.events = Objects.requireNonNull(events, "events");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * Processes {@code formatted} (events of {@code roomId} that passed the format check; null
     * where a result is already set) from {@code start} while they are in the common case, storing
     * them, and fills in their {@code results}. Call holding the room's lock. Returns the index of
     * the first event left for the full pipeline, or the list's size.
     */
    int process(String origin, String roomId, RoomVersion version, List<Pdu> formatted, int start,
            IncomingPdus.Result[] results) {
        Set<String> extremities = events.forwardExtremities(roomId);
        if (extremities.isEmpty()) {
            return start; // not in the room: the full pipeline says so
        }
        int first = start;
        while (first < formatted.size() && formatted.get(first) == null) {
            first++;
        }
        if (first == formatted.size() || !prevEventsAre(formatted.get(first), extremities)) {
            return first; // without reading (or resolving) the current state
        }
        Map<StateKey, String> current = recentStates.get(extremities);
        if (current == null) {
            try {
                current = events.currentState(roomId, version);
            } catch (IllegalStateException e) {
                return start;
            }
        }
        Map<String, StoredEvent> stored = events.storedAll(referenced(formatted, start));
        Map<String, Pdu> parsed = new HashMap<>();
        Map<String, Pdu> batch = new LinkedHashMap<>();
        Set<String> rejected = new HashSet<>();
        List<Received> writes = new ArrayList<>();
        int index = start;
        for (; index < formatted.size(); index++) {
            Pdu candidate = formatted.get(index);
            if (candidate == null) {
                continue;
            }
            if (!inCommonCase(candidate, extremities, stored, batch)) {
                break;
            }
            if (!aclAllows(origin, current, version, stored, parsed, batch)) {
                results[index] = IncomingPdus.Result.error(candidate.eventId(),
                        "server " + origin + " is denied by the room's server ACL");
                continue;
            }
            Pdu pdu;
            try {
                pdu = checks.verify(candidate);
            } catch (RuntimeException e) {
                LOG.info("dropping {} from {}: {}", candidate.eventId(), origin, e.getMessage());
                results[index] = IncomingPdus.Result.error(candidate.eventId(), "invalid event: " + e.getMessage());
                continue;
            }
            if (!roomId.equals(pdu.roomId())) {
                results[index] = IncomingPdus.Result.error(pdu.eventId(), "room_id does not match");
                continue;
            }
            String reason = authFailure(pdu, current, version, stored, parsed, batch, rejected);
            batch.put(pdu.eventId(), pdu);
            if (reason != null) {
                LOG.info("rejecting {} in {}: {}", pdu.eventId(), roomId, reason);
                rejected.add(pdu.eventId());
                writes.add(new Received(pdu, current, reason));
                results[index] = IncomingPdus.Result.error(pdu.eventId(), "rejected: " + reason);
                continue;
            }
            writes.add(new Received(pdu, current, null));
            results[index] = IncomingPdus.Result.ok(pdu.eventId());
            extremities = Set.of(pdu.eventId());
            if (pdu.stateTuple().isPresent()) {
                Map<StateKey, String> after = new HashMap<>(current);
                after.put(pdu.stateTuple().get(), pdu.eventId());
                current = after; // a new server ACL applies to the events after it
            }
        }
        // A failing write throws: nothing of the batch is stored and the transaction fails, so the
        // sender sends it again.
        writer.writeOnExtremities(roomId, writes, extremities);
        recentStates.put(extremities, Collections.unmodifiableMap(current));
        return index;
    }

    /**
     * Whether the event is in the common case: not known yet, its prev events the room's
     * extremities, its auth events known (stored, or earlier in the batch).
     */
    private static boolean inCommonCase(Pdu pdu, Set<String> extremities, Map<String, StoredEvent> stored,
            Map<String, Pdu> batch) {
        if (stored.containsKey(pdu.eventId()) || batch.containsKey(pdu.eventId())) {
            return false;
        }
        if (!prevEventsAre(pdu, extremities)) {
            return false;
        }
        for (String id : authIds(pdu)) {
            if (!stored.containsKey(id) && !batch.containsKey(id)) {
                return false;
            }
        }
        return true;
    }

    private static boolean prevEventsAre(Pdu pdu, Set<String> extremities) {
        return pdu.prevEventIds().size() == extremities.size() && extremities.containsAll(pdu.prevEventIds());
    }

    /** Steps 4 and 5 (and so 6): the reason to reject the event, or null when it passes. */
    private String authFailure(Pdu pdu, Map<StateKey, String> current, RoomVersion version,
            Map<String, StoredEvent> stored, Map<String, Pdu> parsed, Map<String, Pdu> batch, Set<String> rejected) {
        AuthDecision byAuthEvents = auth.againstAuthEvents(pdu, id -> lookup(id, version, stored, parsed, batch),
                id -> rejected.contains(id) || Optional.ofNullable(stored.get(id)).map(StoredEvent::isRejected)
                        .orElse(false));
        if (!byAuthEvents.allowed()) {
            return "auth events: " + byAuthEvents.reason();
        }
        // The rules read only the state events the auth events selection names, and the create event.
        Map<StateKey, Pdu> state = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (StateKey key : AuthChecks.wantedKeys(auth.rules(), pdu)) {
            String id = current.get(key);
            if (id != null && !stored.containsKey(id) && !batch.containsKey(id) && !parsed.containsKey(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            stored.putAll(events.storedAll(missing));
        }
        for (StateKey key : AuthChecks.wantedKeys(auth.rules(), pdu)) {
            String id = current.get(key);
            if (id != null) {
                lookup(id, version, stored, parsed, batch).ifPresent(event -> state.put(key, event));
            }
        }
        AuthDecision byState = auth.againstState(pdu, state);
        return byState.allowed() ? null : "state before the event: " + byState.reason();
    }

    private static boolean aclAllows(String origin, Map<StateKey, String> current, RoomVersion version,
            Map<String, StoredEvent> stored, Map<String, Pdu> parsed, Map<String, Pdu> batch) {
        String aclId = current.get(SERVER_ACL);
        if (aclId == null) {
            return true;
        }
        Optional<Pdu> acl = lookup(aclId, version, stored, parsed, batch);
        return acl.isEmpty() || ServerAcl.fromContent(acl.get().content()).allows(origin);
    }

    private static Optional<Pdu> lookup(String id, RoomVersion version, Map<String, StoredEvent> stored,
            Map<String, Pdu> parsed, Map<String, Pdu> batch) {
        Pdu pdu = batch.get(id);
        if (pdu == null) {
            pdu = parsed.get(id);
        }
        if (pdu == null) {
            StoredEvent event = stored.get(id);
            if (event == null) {
                return Optional.empty();
            }
            pdu = RoomEvents.toPdu(event, version);
            parsed.put(id, pdu);
        }
        return Optional.of(pdu);
    }

    /** The events' IDs, their auth events' IDs and the create events' IDs: what the batch reads. */
    private static Set<String> referenced(List<Pdu> formatted, int start) {
        Set<String> ids = new HashSet<>();
        for (Pdu pdu : formatted.subList(start, formatted.size())) {
            if (pdu != null) {
                ids.add(pdu.eventId());
                ids.addAll(authIds(pdu));
            }
        }
        return ids;
    }

    private static Set<String> authIds(Pdu pdu) {
        Set<String> ids = new HashSet<>(pdu.authEventIds());
        AuthChecks.createEventId(pdu).ifPresent(ids::add);
        return ids;
    }
}
