package dev.hyphae.node.relations;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.StoredRelation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the {@link Aggregations} of events served to a user: {@code redacted_because} from the
 * applied redactions, and the bundled aggregations of {@code m.thread} ("Server-side aggregation
 * of m.thread relationships"), {@code m.replace} and {@code m.reference} from the relations index.
 * State events get no bundled aggregations (as the spec notes). Ignored users are not taken into
 * account.
 */
public final class EventAggregator {
    /** The most references listed in one {@code m.reference} aggregation. */
    static final int MAX_REFERENCES = 100;

    private final Store store;

    public EventAggregator(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The aggregations of each of {@code events} as {@code viewer} is served them, keyed by event ID. */
    public Map<String, Aggregations> of(Collection<Pdu> events, String viewer) {
        Objects.requireNonNull(viewer, "viewer");
        if (events.isEmpty()) {
            return Map.of();
        }
        return store.read(tx -> of(tx, events, viewer, true));
    }

    /** The aggregations of one event; {@link Aggregations#NONE} when there are none. */
    public Aggregations of(Pdu event, String viewer) {
        return of(List.of(event), viewer).getOrDefault(event.eventId(), Aggregations.NONE);
    }

    private Map<String, Aggregations> of(ReadTransaction tx, Collection<Pdu> events, String viewer, boolean threads) {
        Map<String, Pdu> byId = new LinkedHashMap<>();
        events.forEach(event -> byId.put(event.eventId(), event));
        Map<String, String> redactedBy = tx.redactions().appliedTo(byId.keySet());
        Map<String, StoredEvent> redactions = tx.events().getAll(redactedBy.values());
        Map<String, StoredRelation> latestInThread = threads
                ? tx.relations().latestChildren(byId.keySet(), RelatesTo.THREAD)
                : Map.of();
        Map<String, Aggregations> result = new HashMap<>();
        for (Pdu event : byId.values()) {
            Optional<Pdu> redactedBecause = Optional.ofNullable(redactedBy.get(event.eventId()))
                    .map(redactions::get).map(stored -> toPdu(stored, event.roomVersion()));
            Optional<Aggregations.ThreadSummary> thread = Optional.empty();
            Optional<Pdu> replacement = Optional.empty();
            List<String> references = List.of();
            if (!event.isState()) {
                StoredRelation latest = latestInThread.get(event.eventId());
                if (latest != null && latest.roomId().equals(event.roomId())) {
                    thread = threadSummary(tx, event, latest, viewer);
                }
                if (redactedBecause.isEmpty()) {
                    replacement = replacement(tx, event);
                }
                references = references(tx, event);
            }
            Aggregations aggregations = new Aggregations(redactedBecause, thread, replacement, references);
            if (redactedBecause.isPresent() || aggregations.hasRelations()) {
                result.put(event.eventId(), aggregations);
            }
        }
        return result;
    }

    private Optional<Aggregations.ThreadSummary> threadSummary(ReadTransaction tx, Pdu root, StoredRelation latest,
            String viewer) {
        Optional<StoredEvent> stored = tx.events().get(latest.eventId());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Pdu latestEvent = toPdu(stored.get(), root.roomVersion());
        // The latest event's own children are aggregated too; m.thread cannot nest, so no deeper.
        Aggregations latestAggregations = of(tx, List.of(latestEvent), viewer, false)
                .getOrDefault(latestEvent.eventId(), Aggregations.NONE);
        long count = tx.relations().count(root.eventId(), RelatesTo.THREAD);
        boolean participated = root.sender().equals(viewer)
                || tx.relations().hasChildFrom(root.eventId(), RelatesTo.THREAD, viewer);
        return Optional.of(new Aggregations.ThreadSummary(latestEvent, latestAggregations, count, participated));
    }

    /**
     * The most recent valid edit ("Validity of replacement events"): same sender and type as the
     * original, which is not itself an edit; the edit's own checks were made when it was indexed.
     */
    private Optional<Pdu> replacement(ReadTransaction tx, Pdu original) {
        if (RelatesTo.of(original).map(r -> r.relType().equals(RelatesTo.REPLACE)).orElse(false)) {
            return Optional.empty();
        }
        return tx.relations().latestFrom(original.eventId(), RelatesTo.REPLACE, original.sender(), original.type())
                .filter(edit -> edit.roomId().equals(original.roomId()))
                .flatMap(edit -> tx.events().get(edit.eventId()))
                .map(stored -> toPdu(stored, original.roomVersion()));
    }

    private List<String> references(ReadTransaction tx, Pdu parent) {
        List<String> ids = new ArrayList<>();
        for (StoredRelation child : tx.relations().children(parent.eventId(), RelatesTo.REFERENCE, null, 0,
                Long.MAX_VALUE, true, MAX_REFERENCES)) {
            if (child.roomId().equals(parent.roomId())) {
                ids.add(child.eventId());
            }
        }
        return ids;
    }

    static Pdu toPdu(StoredEvent stored, RoomVersion version) {
        return Pdu.fromStoredJson(stored.eventId(), stored.json().getBytes(StandardCharsets.UTF_8), version);
    }
}
