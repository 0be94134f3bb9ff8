package dev.hyphae.node.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hyphae.node.roomserver.RoomEventListener;
import dev.hyphae.store.EventSearch;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.WriteTransaction;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the full-text index in step with the event stream. It walks the timeline events of all
 * rooms in stream order from the position the index records, so every event that reaches a room
 * timeline is indexed once whichever way it was stored (sent here, received over federation, an
 * outlier that later joined the timeline), and an index left behind by a crash catches up.
 *
 * <p>As a {@link RoomEventListener} it queues a catch-up after every new event; searches ask for
 * one too, so they always see the events committed before them. Catch-ups run one at a time, and
 * a request made while one is waiting joins it.
 */
public final class EventIndexer implements RoomEventListener {
    /** Events looked at in one write unit. */
    static final int BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger(EventIndexer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Object lock = new Object();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> waiting;

    public EventIndexer(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void onNewEvent(String roomId, String eventId, long streamOrdering) {
        catchUp().exceptionally(e -> {
            LOG.warn("indexing events for search failed", e);
            return null;
        });
    }

    /** Indexes every timeline event committed so far; completes when they are in the index. */
    public CompletableFuture<Void> catchUp() {
        synchronized (lock) {
            if (waiting != null) {
                return waiting;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            waiting = mine;
            tail = tail.handle((ignored, error) -> null).thenCompose(ignored -> {
                synchronized (lock) {
                    if (waiting == mine) {
                        waiting = null;
                    }
                }
                return indexUntilDone();
            }).whenComplete((ignored, error) -> {
                if (error != null) {
                    mine.completeExceptionally(error);
                } else {
                    mine.complete(null);
                }
            });
            return mine;
        }
    }

    /**
     * Drops an event from the index inside the caller's write unit; the redaction of an event must
     * call this in the unit that stores the redacted form.
     */
    public static boolean remove(WriteTransaction tx, String eventId) {
        return tx.eventSearch().remove(eventId);
    }

    /** Drops an event from the index in a write unit of its own. */
    public CompletableFuture<Boolean> remove(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return store.write(tx -> remove(tx, eventId));
    }

    private CompletableFuture<Void> indexUntilDone() {
        return store.write(EventIndexer::indexBatch)
                .thenCompose(more -> more ? indexUntilDone() : CompletableFuture.completedFuture(null));
    }

    /** Indexes the next batch of events; {@code true} when there may be more. */
    static boolean indexBatch(WriteTransaction tx) {
        long from = tx.eventSearch().indexedUpTo();
        List<StoredEvent> events = tx.events().eventsAfter(from, BATCH);
        for (StoredEvent event : events) {
            entry(event).ifPresent(tx.eventSearch()::index);
        }
        if (!events.isEmpty()) {
            tx.eventSearch().setIndexedUpTo(events.get(events.size() - 1).streamOrdering());
        }
        return events.size() == BATCH;
    }

    /** The index entry of a stored event, empty when it has nothing to search. */
    static Optional<EventSearch.Entry> entry(StoredEvent event) {
        if (SearchKey.forType(event.type()).isEmpty() || event.outlier() || event.isRejected()) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = JSON.readTree(event.json());
        } catch (IOException e) {
            LOG.warn("stored event {} is not JSON; not indexed", event.eventId());
            return Optional.empty();
        }
        return SearchKey.textOf(event.type(), json.path("content")).map(text -> new EventSearch.Entry(
                event.eventId(), event.roomId(), event.sender(), event.type(), event.streamOrdering(), text));
    }
}
