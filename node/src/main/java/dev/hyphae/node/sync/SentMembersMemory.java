package dev.hyphae.node.sync;

import dev.hyphae.store.Store;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What each device was already sent of a room's membership events under lazy-loading, so that
 * they are not sent again unless the filter asks for redundant members. Forgetting is always
 * safe: the spec lets a server send redundant membership events.
 */
public interface SentMembersMemory {
    /** Event IDs of the room's membership events the device was sent. */
    Set<String> sent(String userId, String deviceId, String roomId);

    /**
     * Records what one sync sent the device, per room; with {@code startOver} (an initial sync)
     * everything remembered for the device before is forgotten first.
     */
    void remember(String userId, String deviceId, boolean startOver, Map<String, ? extends Collection<String>> sentByRoom);

    /** Remembers nothing: every lazy-loading sync sends the members of its timeline's senders. */
    SentMembersMemory NONE = new SentMembersMemory() {
        @Override
        public Set<String> sent(String userId, String deviceId, String roomId) {
            return Set.of();
        }

        @Override
        public void remember(String userId, String deviceId, boolean startOver,
                Map<String, ? extends Collection<String>> sentByRoom) {
        }
    };

    /** Kept in the store, so a device is not sent the same members again after a restart. */
    static SentMembersMemory durable(Store store) {
        Objects.requireNonNull(store, "store");
        return new SentMembersMemory() {
            @Override
            public Set<String> sent(String userId, String deviceId, String roomId) {
                return store.read(tx -> tx.sentMembers().sent(userId, deviceId, roomId));
            }

            @Override
            public void remember(String userId, String deviceId, boolean startOver,
                    Map<String, ? extends Collection<String>> sentByRoom) {
                if (!startOver && sentByRoom.values().stream().allMatch(Collection::isEmpty)) {
                    return;
                }
                store.write(tx -> {
                    if (startOver) {
                        tx.sentMembers().clear(userId, deviceId);
                    }
                    sentByRoom.forEach((roomId, eventIds) -> tx.sentMembers().add(userId, deviceId, roomId, eventIds));
                    return null;
                }).join();
            }
        };
    }
}
