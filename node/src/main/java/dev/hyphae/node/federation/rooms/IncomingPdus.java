package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.acl.RoomServerAcls;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.StateKey;
import dev.hyphae.node.federation.FederationException;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.node.roomserver.RemoteEventWriter.Outcome;
import dev.hyphae.store.StoredEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of room events ("Checks performed on receipt of a PDU"): for each PDU another
 * server sends into a room this node takes part in, the format, signature and hash checks, missing
 * prev events fetched with {@code /get_missing_events} (a bounded number, once), auth events fetched
 * with {@code /event_auth}, the auth rules against the auth events, against the state before the
 * event (resolved from its prev events, or fetched with {@code /state_ids} when they are not all
 * known) and against the current state (soft failure), then the event stored with its state.
 */
public final class IncomingPdus {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingPdus.class);
    /** The most events one {@code /get_missing_events} asks for. */
    static final int MISSING_EVENTS_LIMIT = 10;
    /** The most events fetched to fill the state or auth chain of one event. */
    static final int FETCH_LIMIT = 500;

    private final RoomEvents events;
    private final PduChecks checks;
    private final AuthChecks auth;
    private final OutlierEvents outliers;
    private final RemoteEvents remote;
    private final RemoteEventWriter writer;
    private final RoomServerAcls acls;
    private final ExtremityBatch batch;

    IncomingPdus(RoomEvents events, PduChecks checks, AuthChecks auth, OutlierEvents outliers, RemoteEvents remote,
            RemoteEventWriter writer, RoomServerAcls acls) {
        this.events = Objects.requireNonNull(events, "events");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.outliers = Objects.requireNonNull(outliers, "outliers");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.acls = Objects.requireNonNull(acls, "acls");
        this.batch = new ExtremityBatch(events, checks, auth, writer);
    }

    /** What became of one PDU: its ID when it could be derived, and the error for the sender, if any. */
    public record Result(String eventId, Optional<String> error) {
        static Result ok(String eventId) {
            return new Result(eventId, Optional.empty());
        }

        static Result error(String eventId, String error) {
            return new Result(eventId, Optional.of(error));
        }

        public boolean accepted() {
            return error.isEmpty();
        }
    }

    /**
     * Receives one PDU that {@code origin} sent (in a transaction, or a {@code send_join} /
     * {@code send_leave} / {@code send_knock}). Never throws for bad input: the result names the
     * error. A rejected or soft-failed event is stored and reported as an error.
     */
    public Result receive(String origin, JsonNode json) {
        String roomId = json == null ? "" : json.path("room_id").asText("");
        Optional<RoomVersion> version = events.version(roomId);
        if (version.isEmpty()) {
            return Result.error(json == null ? "" : json.path("event_id").asText(""), "unknown room " + roomId);
        }
        Pdu formatted;
        try {
            formatted = checks.format(json, version.get());
        } catch (RuntimeException e) {
            LOG.info("dropping a PDU from {} for {}: {}", origin, roomId, e.getMessage());
            return Result.error("", "invalid event: " + e.getMessage());
        }
        if (!acls.allows(origin, roomId)) {
            return Result.error(formatted.eventId(), "server " + origin + " is denied by the room's server ACL");
        }
        Pdu pdu;
        try {
            pdu = checks.verify(formatted);
        } catch (RuntimeException e) {
            LOG.info("dropping {} from {}: {}", formatted.eventId(), origin, e.getMessage());
            return Result.error(formatted.eventId(), "invalid event: " + e.getMessage());
        }
        if (!roomId.equals(pdu.roomId())) {
            return Result.error(pdu.eventId(), "room_id does not match");
        }
        return receive(origin, pdu, true);
    }

    /**
     * Receives PDUs of one room that {@code origin} sent in one transaction, in order, with one
     * result for each (as {@link #receive(String, JsonNode)} gives). Those that extend the room's
     * forward extremities one after another are checked against the current state held in memory
     * and stored together ({@link ExtremityBatch}); any other goes through the full pipeline.
     */
    public List<Result> receiveAll(String origin, String roomId, List<JsonNode> jsons) {
        Result[] results = new Result[jsons.size()];
        Optional<RoomVersion> version = events.version(roomId);
        if (version.isEmpty()) {
            for (int i = 0; i < jsons.size(); i++) {
                JsonNode json = jsons.get(i);
                results[i] = Result.error(json == null ? "" : json.path("event_id").asText(""), "unknown room " + roomId);
            }
            return Arrays.asList(results);
        }
        List<Pdu> formatted = new ArrayList<>();
        for (int i = 0; i < jsons.size(); i++) {
            JsonNode json = jsons.get(i);
            Pdu pdu = null;
            if (json == null || !roomId.equals(json.path("room_id").asText(""))) {
                results[i] = receive(origin, json); // not of this room: on its own
            } else {
                try {
                    pdu = checks.format(json, version.get());
                } catch (RuntimeException e) {
                    LOG.info("dropping a PDU from {} for {}: {}", origin, roomId, e.getMessage());
                    results[i] = Result.error("", "invalid event: " + e.getMessage());
                }
            }
            formatted.add(pdu);
        }
        int next = 0;
        while (next < jsons.size()) {
            int start = next;
            next = writer.withRoom(roomId, () -> batch.process(origin, roomId, version.get(), formatted, start, results));
            if (next < jsons.size()) {
                results[next] = receive(origin, jsons.get(next));
                next++;
            }
        }
        return Arrays.asList(results);
    }

    /** Receives a PDU that passed the checks of steps 1 to 3. */
    Result receive(String origin, Pdu pdu, boolean fetchMissing) {
        return receive(origin, pdu, fetchMissing, fetchMissing);
    }

    /**
     * @param retryWhenUnreachable throw {@link OriginUnreachable} when the origin cannot be asked
     *     for what the event needs right now, instead of answering an error for the event
     */
    private Result receive(String origin, Pdu pdu, boolean fetchMissing, boolean retryWhenUnreachable) {
        String roomId = pdu.roomId();
        if (events.forwardExtremities(roomId).isEmpty()) {
            return Result.error(pdu.eventId(), "this server is not in room " + roomId);
        }
        Optional<StoredEvent> known = events.stored(pdu.eventId());
        if (known.isPresent() && events.hasState(pdu.eventId())) {
            return known.get().isRejected() ? Result.error(pdu.eventId(), "rejected: " + known.get().rejectionReason())
                    : Result.ok(pdu.eventId());
        }
        try {
            if (fetchMissing) {
                fetchMissingPrevEvents(origin, pdu);
            }
            // What must be asked of the origin is asked before taking the room's lock, which local
            // sends to the room wait for.
            fetchAuthEvents(origin, pdu);
            Optional<Map<StateKey, String>> fromOrigin = prevEventsKnown(pdu) ? Optional.empty()
                    : Optional.of(stateFromOrigin(origin, pdu));
            return writer.withRoom(roomId, () -> process(origin, pdu, fromOrigin));
        } catch (FederationException e) {
            LOG.info("cannot process {} from {}: {}", pdu.eventId(), origin, e.getMessage());
            if (retryWhenUnreachable && e.passing()) {
                // The origin went away while we asked it (a partition, a restart): refusing the
                // event now would lose it for good, as the sender drops what we answer for.
                throw new OriginUnreachable(pdu.eventId(), e);
            }
            return Result.error(pdu.eventId(), "cannot fetch what the event needs: " + e.getMessage());
        }
    }

    /**
     * @param fromOrigin the state before the event as the origin gave it, asked before the lock
     *                   was taken because the event's prev events were not all known then
     */
    private Result process(String origin, Pdu pdu, Optional<Map<StateKey, String>> fromOrigin) {
        String roomId = pdu.roomId();
        RoomVersion version = pdu.roomVersion();
        if (events.hasState(pdu.eventId())) {
            return Result.ok(pdu.eventId()); // processed meanwhile
        }
        // 4. Auth against the event's own auth events (fetched before the lock when unknown).
        AuthDecision byAuthEvents = auth.againstAuthEvents(pdu, id -> events.pdu(id, version),
                id -> events.stored(id).map(StoredEvent::isRejected).orElse(false));
        // The state before the event: from its prev events, or asked of the origin.
        Map<StateKey, String> stateBefore = stateBefore(origin, pdu, fromOrigin);
        if (!byAuthEvents.allowed()) {
            return reject(pdu, stateBefore, "auth events: " + byAuthEvents.reason());
        }
        // 5. Auth against the state before the event.
        AuthDecision byState = auth.againstState(pdu, events.stateEvents(stateBefore, version));
        if (!byState.allowed()) {
            return reject(pdu, stateBefore, "state before the event: " + byState.reason());
        }
        Map<StateKey, String> stateAfter = new HashMap<>(stateBefore);
        pdu.stateTuple().ifPresent(key -> stateAfter.put(key, pdu.eventId()));
        // 6. Auth against the current state, else soft failure.
        Set<String> extremities = events.forwardExtremities(roomId);
        Map<StateKey, String> current = events.currentState(roomId, version);
        AuthDecision byCurrent = auth.againstState(pdu, events.stateEvents(current, version));
        if (!byCurrent.allowed()) {
            LOG.info("soft-failing {} from {}: {}", pdu.eventId(), origin, byCurrent.reason());
            writer.write(roomId, pdu, stateBefore, Outcome.SOFT_FAILED, null, extremities, current);
            return Result.error(pdu.eventId(), "soft failed: " + byCurrent.reason());
        }
        Set<String> next = new LinkedHashSet<>(extremities);
        next.removeAll(pdu.prevEventIds());
        next.add(pdu.eventId());
        Map<StateKey, String> nextState = events.stateAfterAll(next, version, Map.of(pdu.eventId(), pdu),
                Map.of(pdu.eventId(), stateAfter)).orElseGet(() -> {
                    LOG.warn("cannot resolve the state of {} with {}: keeping the state after it", roomId, next);
                    return stateAfter;
                });
        writer.write(roomId, pdu, stateBefore, Outcome.ACCEPTED, null, next, nextState);
        return Result.ok(pdu.eventId());
    }

    private Result reject(Pdu pdu, Map<StateKey, String> stateBefore, String reason) {
        LOG.info("rejecting {} in {}: {}", pdu.eventId(), pdu.roomId(), reason);
        writer.write(pdu.roomId(), pdu, stateBefore, Outcome.REJECTED, reason, Set.of(), Map.of());
        return Result.error(pdu.eventId(), "rejected: " + reason);
    }

    /**
     * Asks the origin for the events between this node's forward extremities and the event, and
     * receives them oldest first (without asking again for theirs).
     */
    private void fetchMissingPrevEvents(String origin, Pdu pdu) {
        List<String> missing = new ArrayList<>();
        for (String prev : pdu.prevEventIds()) {
            if (!events.hasState(prev)) {
                missing.add(prev);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String roomId = pdu.roomId();
        RoomVersion version = pdu.roomVersion();
        List<JsonNode> fetched;
        try {
            fetched = remote.missingEvents(origin, roomId, events.forwardExtremities(roomId), List.of(pdu.eventId()),
                    MISSING_EVENTS_LIMIT, 0);
        } catch (FederationException e) {
            if (e.passing()) {
                // Going on without them would leave a gap in the timeline that nothing fills.
                throw new OriginUnreachable(pdu.eventId(), e);
            }
            LOG.info("cannot get the missing events before {} from {}: {}", pdu.eventId(), origin, e.getMessage());
            return;
        }
        List<Pdu> checked = new ArrayList<>();
        for (JsonNode json : fetched) {
            try {
                Pdu missingPdu = checks.check(json, version);
                if (roomId.equals(missingPdu.roomId()) && !missingPdu.eventId().equals(pdu.eventId())) {
                    checked.add(missingPdu);
                }
            } catch (RuntimeException e) {
                LOG.info("dropping a missing event from {}: {}", origin, e.getMessage());
            }
        }
        // An event already held as an outlier (state of a join, an auth event) sits before this
        // server's extremities: taking it as new would graft a stale fork onto the current state.
        Set<String> outliersHeld = events.storedAll(checked.stream().map(Pdu::eventId).toList()).keySet();
        checked.removeIf(missingPdu -> outliersHeld.contains(missingPdu.eventId()));
        checked.sort(Comparator.comparingLong(Pdu::depth));
        for (Pdu missingPdu : checked) {
            Result result = receive(origin, missingPdu, false, true);
            result.error().ifPresent(error -> LOG.info("missing event {}: {}", missingPdu.eventId(), error));
        }
    }

    /** Fetches and stores (as outliers) the auth events of {@code pdu} this node does not have. */
    private void fetchAuthEvents(String origin, Pdu pdu) {
        Set<String> wanted = new HashSet<>(pdu.authEventIds());
        AuthChecks.createEventId(pdu).ifPresent(wanted::add);
        wanted.removeAll(events.storedAll(wanted).keySet());
        if (wanted.isEmpty()) {
            return;
        }
        List<JsonNode> chain = remote.eventAuth(origin, pdu.roomId(), pdu.eventId(), FETCH_LIMIT);
        outliers.importAll(pdu.roomId(), pdu.roomVersion(), chain);
    }

    /** Whether this node has every prev event of {@code pdu} with its state (and it has some). */
    private boolean prevEventsKnown(Pdu pdu) {
        return !pdu.prevEventIds().isEmpty() && pdu.prevEventIds().stream().allMatch(events::hasState);
    }

    /**
     * The state before {@code pdu}: the state after its prev events (resolved when several) when
     * this node has them all, else the state the origin gave ({@code fromOrigin}, or asked now).
     */
    private Map<StateKey, String> stateBefore(String origin, Pdu pdu, Optional<Map<StateKey, String>> fromOrigin) {
        if (prevEventsKnown(pdu)) {
            Optional<Map<StateKey, String>> resolved = events.stateAfterAll(pdu.prevEventIds(), pdu.roomVersion(),
                    Map.of(), Map.of());
            if (resolved.isPresent()) {
                return resolved.get();
            }
            LOG.info("cannot resolve the state of the prev events of {}: asking {}", pdu.eventId(), origin);
        }
        return fromOrigin.orElseGet(() -> stateFromOrigin(origin, pdu));
    }

    /**
     * The state before {@code pdu} as the origin gives it with {@code /state_ids}, its events
     * fetched and stored as outliers.
     */
    private Map<StateKey, String> stateFromOrigin(String origin, Pdu pdu) {
        RoomVersion version = pdu.roomVersion();
        RemoteEvents.StateIds ids = remote.stateIds(origin, pdu.roomId(), pdu.eventId());
        Set<String> wanted = new LinkedHashSet<>(ids.authChainIds());
        wanted.addAll(ids.pduIds());
        wanted.removeAll(events.storedAll(wanted).keySet());
        List<JsonNode> fetched = new ArrayList<>();
        for (String id : wanted) {
            if (fetched.size() >= FETCH_LIMIT) {
                // Final, not a passing failure: asking again would fetch just as many.
                throw FederationException.answered(origin, 413, "M_TOO_LARGE", "the state of " + pdu.eventId()
                        + " needs more than " + FETCH_LIMIT + " events");
            }
            remote.event(origin, pdu.roomId(), id).ifPresent(fetched::add);
        }
        OutlierEvents.Imported imported = outliers.importAll(pdu.roomId(), version, fetched);
        Map<StateKey, String> state = new HashMap<>();
        Map<String, StoredEvent> stored = events.storedAll(ids.pduIds());
        for (String id : ids.pduIds()) {
            StoredEvent event = stored.get(id);
            if (event == null || event.isRejected() || event.stateKey() == null || imported.rejected().containsKey(id)) {
                continue; // an unusable state entry is left out, as the rules would not count it
            }
            state.put(StateKey.of(event.type(), event.stateKey()), id);
        }
        return state;
    }

    /**
     * The origin of a transaction could not be reached while fetching what one of its events
     * needs: the whole transaction should be answered as a passing failure, so the origin sends it
     * again later rather than dropping the event.
     */
    static final class OriginUnreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OriginUnreachable(String eventId, FederationException cause) {
            super("cannot fetch what " + eventId + " needs from its origin: " + cause.getMessage(), cause);
        }
    }
}
