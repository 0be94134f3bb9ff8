package dev.hyphae.node.federation.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.auth.AuthDecision;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.roomserver.RemoteEventWriter;
import dev.hyphae.store.StoredEvent;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * outlier, rejected ones with their reason. Invalid events are dropped.
 */
final class OutlierEvents {
    private static final Logger LOG = LoggerFactory.getLogger(OutlierEvents.class);

    private final PduChecks checks;
    private final AuthChecks auth;
    private final RoomEvents events;
    private final RemoteEventWriter writer;

    OutlierEvents(PduChecks checks, AuthChecks auth, RoomEvents events, RemoteEventWriter writer) {
        this.checks = Objects.requireNonNull(checks, "checks");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.events = Objects.requireNonNull(events, "events");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * The events of one import: every valid one by ID (in the order checked, auth events first),
     * and the reasons of those the auth rules rejected.
     */
    record Imported(Map<String, Pdu> events, Map<String, String> rejected) {
        boolean accepted(String eventId) {
            return events.containsKey(eventId) && !rejected.containsKey(eventId);
        }
    }

    /** Checks and stores {@code jsons} as outliers of the room. */
    Imported importAll(String roomId, RoomVersion version, Collection<JsonNode> jsons) {
        Map<String, Pdu> valid = new LinkedHashMap<>();
        for (JsonNode json : jsons) {
            try {
                Pdu pdu = checks.check(json, version);
                if (!pdu.isCreate() && !roomId.equals(pdu.roomId())) {
                    LOG.info("dropping {}: it is from room {}, not {}", pdu.eventId(), pdu.roomId(), roomId);
                    continue;
                }
                if (pdu.isCreate() && !roomId.equals(pdu.roomId())) {
                    LOG.info("dropping create event {}: it is not the create event of {}", pdu.eventId(), roomId);
                    continue;
                }
                valid.put(pdu.eventId(), pdu);
            } catch (RuntimeException e) {
                LOG.info("dropping an event received for {}: {}", roomId, e.getMessage());
            }
        }
        Map<String, StoredEvent> stored = events.storedAll(referenced(valid));
        Map<String, Pdu> checked = new LinkedHashMap<>();
        Map<String, String> rejected = new HashMap<>();
        for (Pdu pdu : valid.values()) {
            check(pdu, valid, stored, version, checked, rejected, new HashSet<>());
        }
        writer.writeOutliers(roomId, version, checked.values(), rejected);
        return new Imported(checked, rejected);
    }

    /** Checks {@code pdu} once its auth events in the batch are checked (depth first along auth_events). */
    private void check(Pdu pdu, Map<String, Pdu> batch, Map<String, StoredEvent> stored, RoomVersion version,
            Map<String, Pdu> checked, Map<String, String> rejected, Set<String> visiting) {
        if (checked.containsKey(pdu.eventId()) || !visiting.add(pdu.eventId())) {
            return;
        }
        for (String authId : authIds(pdu)) {
            Pdu authEvent = batch.get(authId);
            if (authEvent != null) {
                check(authEvent, batch, stored, version, checked, rejected, visiting);
            }
        }
        AuthDecision decision = auth.againstAuthEvents(pdu,
                id -> Optional.ofNullable(checked.get(id))
                        .or(() -> Optional.ofNullable(stored.get(id)).map(event -> RoomEvents.toPdu(event, version))),
                id -> rejected.containsKey(id) || (stored.containsKey(id) && stored.get(id).isRejected()));
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
