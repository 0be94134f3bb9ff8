package dev.hyphae.node.roomserver;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per room, so that the events of a room are built and stored one after another (each
 * sees the forward extremities and state its predecessor left) while different rooms proceed in
 * parallel. Fair, so senders to a busy room are served in arrival order.
 */
final class RoomLocks {
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** Runs {@code action} holding the room's lock. */
    <T> T withRoom(String roomId, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(roomId, id -> new ReentrantLock(true));
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
