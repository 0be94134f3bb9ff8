package dev.hyphae.node.sync;

import dev.hyphae.node.accountdata.AccountDataListener;
import dev.hyphae.node.e2ee.E2eeListener;
import dev.hyphae.node.roomserver.RoomEventListener;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes waiting /sync long polls. A room event wakes every waiting user (each sync then checks
 * whether the event concerns it, and waits again if not: cheap for the few users of one node); an
 * account data change or a to-device message wakes its user; a device list change wakes everyone
 * (the users who share a room with its owner are found by the sync itself). Register before reading the stream positions, so that no
 * change slips between the read and the wait.
 */
public final class SyncNotifier implements RoomEventListener, AccountDataListener, E2eeListener {
    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    /** A future that completes at the next change that may concern {@code userId}. */
    CompletableFuture<Void> register(String userId) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        waiting.computeIfAbsent(Objects.requireNonNull(userId, "userId"), u -> ConcurrentHashMap.newKeySet()).add(wake);
        return wake;
    }

    void unregister(String userId, CompletableFuture<Void> wake) {
        waiting.computeIfPresent(userId, (user, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    /** How many long polls are waiting, for tests and metrics. */
    public int waitingCount() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void onNewEvent(String roomId, String eventId, long streamOrdering) {
        wakeEveryone();
    }

    @Override
    public void accountDataChanged(String userId, long streamPosition) {
        wake(userId);
    }

    @Override
    public void toDeviceMessage(String userId, String deviceId, long position) {
        wake(userId);
    }

    @Override
    public void deviceListChanged(String userId, long position) {
        wakeEveryone();
    }

    /** Wakes {@code userId}'s waiting syncs: a stream of theirs has news (to-device, typing, ...). */
    public void wake(String userId) {
        Set<CompletableFuture<Void>> user = waiting.get(userId);
        if (user != null) {
            wakeAll(user);
        }
    }

    /** Wakes every waiting sync: news that may concern anyone (presence, typing in a busy room). */
    public void wakeEveryone() {
        waiting.values().forEach(SyncNotifier::wakeAll);
    }

    private static void wakeAll(Set<CompletableFuture<Void>> waiters) {
        // Completing only signals: the waiting syncs continue on their own executor, not here.
        waiters.forEach(wake -> wake.complete(null));
    }
}
