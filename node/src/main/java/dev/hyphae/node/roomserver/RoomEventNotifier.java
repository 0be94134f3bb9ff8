package dev.hyphae.node.roomserver;

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
