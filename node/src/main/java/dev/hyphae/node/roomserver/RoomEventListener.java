package dev.hyphae.node.roomserver;

/** Told when a room got a new event, once the event is durably committed. */
@FunctionalInterface
public interface RoomEventListener {
    /**
     * Called on the store's notification thread: must return quickly (wake a waiting /sync, hand
     * work to another thread), never block.
     */
    void onNewEvent(String roomId, String eventId, long streamOrdering);
}
