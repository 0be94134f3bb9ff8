package dev.hyphae.node.roomserver;

import dev.hyphae.store.WriteTransaction;

/**
 * Told of each accepted event, local or received from another server, inside the write unit that
 * stores it: what it writes commits with the event or not at all. Runs on the store's writer, so
 * it must be brief.
 */
@FunctionalInterface
public interface StoredEventListener {
    void onStored(WriteTransaction tx, RoomEvent event);
}
