package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.store.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
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
 * Events received without their place in the room's DAG (auth chains, the state of a
 * {@code /send_join} answer or of {@code /state_ids}): each is checked (format, signatures,
 * hashes, then the auth rules against its own auth events, auth events first) and stored as an
 * outlier, rejected ones with their reason. Invalid events are dropped. The format, signature and
 * hash checks, which depend on each event alone, run in parallel ({@link PduBatchChecks}); the
 * auth checks follow in auth order on one thread; everything is stored in one store write.
 */
final class OutlierEvents {
    private static final Logger LOG = LoggerFactory.getLogger(OutlierEvents.class);

    private final PduBatchChecks checks;
    private final AuthChecks auth;
    private final RoomEvents events;
    private final RemoteEventWriter writer;

    OutlierEvents(PduBatchChecks checks, AuthChecks auth, RoomEvents events, RemoteEventWriter writer) {
        this.checks = Objects.requireNonNull(checks, "checks");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.events = Objects.requireNonNull(events, "events");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * The events of one import: every valid one by ID (in the order checked, auth events first),
     * the reasons of those the auth rules rejected, and for each event received (in the order
     * received) its ID when it was valid, else empty.
     */
    record Imported(Map<String, Pdu> events, Map<String, String> rejected, List<Optional<String>> received) {
        boolean accepted(String eventId) {
            return events.containsKey(eventId) && !rejected.containsKey(eventId);
        }

        /** The accepted events among the received ones from index {@code from} on, in the order received. */
        List<Pdu> acceptedFrom(int from) {
            List<Pdu> accepted = new ArrayList<>();
            for (Optional<String> id : received.subList(Math.min(from, received.size()), received.size())) {
                if (id.isPresent() && accepted(id.get())) {
                    accepted.add(events.get(id.get()));
                }
            }
            return accepted;
        }
    }

    /** Checks and stores {@code jsons} as outliers of the room. */
    Imported importAll(String roomId, RoomVersion version, Collection<JsonNode> jsons) {
        Map<String, Pdu> valid = new LinkedHashMap<>();
        List<Optional<String>> received = new ArrayList<>(jsons.size());
        for (PduBatchChecks.Result result : checks.check(new ArrayList<>(jsons), version)) {
            if (result instanceof PduBatchChecks.Dropped dropped) {
                LOG.info("dropping an event received for {}: {}", roomId, dropped.reason());
                received.add(Optional.empty());
                continue;
            }
            Pdu pdu = ((PduBatchChecks.Valid) result).pdu();
            if (!roomId.equals(pdu.roomId())) {
                LOG.info(pdu.isCreate() ? "dropping create event {}: it is not the create event of {}"
                        : "dropping {}: it is not an event of {}", pdu.eventId(), roomId);
                received.add(Optional.empty());
                continue;
            }
            valid.put(pdu.eventId(), pdu);
            received.add(Optional.of(pdu.eventId()));
        }
        Map<String, StoredEvent> storedEvents = events.storedAll(referenced(valid));
        Map<String, Pdu> stored = new HashMap<>();
        Set<String> storedRejected = new HashSet<>();
        storedEvents.forEach((id, event) -> {
            stored.put(id, RoomEvents.toPdu(event, version));
            if (event.isRejected()) {
                storedRejected.add(id);
            }
        });
        Map<String, Pdu> checked = new LinkedHashMap<>();
        Map<String, String> rejected = new HashMap<>();
        for (Pdu pdu : valid.values()) {
            check(pdu, valid, stored, storedRejected, checked, rejected, new HashSet<>());
        }
        writer.writeOutliers(roomId, version, checked.values(), rejected);
        return new Imported(checked, rejected, received);
    }

    /** Checks {@code pdu} once its auth events in the batch are checked (depth first along auth_events). */
    private void check(Pdu pdu, Map<String, Pdu> batch, Map<String, Pdu> stored, Set<String> storedRejected,
            Map<String, Pdu> checked, Map<String, String> rejected, Set<String> visiting) {
        if (checked.containsKey(pdu.eventId()) || !visiting.add(pdu.eventId())) {
            return;
        }
        for (String authId : authIds(pdu)) {
            Pdu authEvent = batch.get(authId);
            if (authEvent != null) {
                check(authEvent, batch, stored, storedRejected, checked, rejected, visiting);
            }
        }
        AuthDecision decision = auth.againstAuthEvents(pdu,
                id -> Optional.ofNullable(checked.get(id)).or(() -> Optional.ofNullable(stored.get(id))),
                id -> rejected.containsKey(id) || storedRejected.contains(id));
        if (!decision.allowed()) {
            LOG.info("rejecting outlier {}: {}", pdu.eventId(), decision.reason());
            rejected.put(pdu.eventId(), decision.reason());
        }
        checked.put(pdu.eventId(), pdu);
    }

    private static Set<String> authIds(Pdu pdu) {
        Set<String> ids = new HashSet<>(pdu.authEventIds());
        AuthChecks.createEventId(pdu).ifPresent(ids::add);
        return ids;
    }

    private static Set<String> referenced(Map<String, Pdu> batch) {
        Set<String> ids = new HashSet<>();
        for (Pdu pdu : batch.values()) {
            ids.addAll(authIds(pdu));
        }
        ids.removeAll(batch.keySet());
        return ids;
    }
}
