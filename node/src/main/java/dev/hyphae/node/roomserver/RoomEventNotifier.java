package dev.hyphae.node.roomserver;

import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.store.StoredEvent;
import dev.hyphae.store.WriteTransaction;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans new-event notices out to listeners such as /sync long-polls. The pipeline calls
 * {@link #notifyNewEvent} only from the store's after-commit hook, so a listener never hears of an
 * event a reader cannot yet see.
 */
public final class RoomEventNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(RoomEventNotifier.class);

    private final List<RoomEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<StoredEventListener> storedListeners = new CopyOnWriteArrayList<>();

    /** Adds a listener told of each accepted event inside the unit that stores it. */
    public void addStoredEventListener(StoredEventListener listener) {
        storedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Tells the stored-event listeners of a local event written in {@code tx}. */
    void eventStored(WriteTransaction tx, Pdu pdu, long streamOrdering) {
        if (storedListeners.isEmpty()) {
            return;
        }
        RoomEvent event = new RoomEvent(pdu, streamOrdering, false, null);
        storedListeners.forEach(listener -> listener.onStored(tx, event));
    }

    /** Tells the stored-event listeners of an accepted event written in {@code tx}, read back by ID. */
    void eventStored(WriteTransaction tx, String roomId, String eventId) {
        if (storedListeners.isEmpty()) {
            return;
        }
        StoredEvent stored = tx.events().get(eventId).orElseThrow(
                () -> new IllegalStateException("event " + eventId + " was written but is not stored"));
        RoomVersion version = tx.rooms().get(roomId).flatMap(room -> RoomVersions.find(room.roomVersion()))
                .orElseThrow(() -> new IllegalStateException("room " + roomId + " has no known version"));
        RoomEvent event = new RoomEvent(RoomHeadLoader.toPdu(stored, version), stored.streamOrdering(),
                stored.outlier(), stored.rejectionReason());
        storedListeners.forEach(listener -> listener.onStored(tx, event));
    }

    public void addListener(RoomEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(RoomEventListener listener) {
        listeners.remove(listener);
    }

    void notifyNewEvent(String roomId, String eventId, long streamOrdering) {
        for (RoomEventListener listener : listeners) {
            try {
                listener.onNewEvent(roomId, eventId, streamOrdering);
            } catch (RuntimeException e) {
                // One failing listener must not keep the others from waking.
                LOG.warn("room event listener failed for {} in {}", eventId, roomId, e);
            }
        }
    }
}
