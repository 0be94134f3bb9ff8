package dev.hyphae.node.presence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.federation.EduOutbox;
import dev.hyphae.node.sync.SyncNotifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Users' presence (client-server API, "Presence"), in memory: a restart shows everyone offline
 * until they are seen again. A local user is seen by setting their presence and by syncing
 * ({@code set_presence}); a user idle for {@link #IDLE_MS} becomes unavailable and one who stopped
 * syncing for {@link #SYNC_GONE_MS} offline ({@link #expireIdle}). Changes others would notice take
 * the next position of the presence stream, wake the local users sharing a room with the user and,
 * for local users, go to the servers sharing a room with them as {@code m.presence} EDUs.
 */
public final class PresenceService {
    public static final String EDU_TYPE = "m.presence";
    /** Inactivity after which an online user is shown unavailable. */
    public static final long IDLE_MS = 5 * 60_000;
    /** Time without a sync after which a user shown by their syncing goes offline (beyond the longest long poll). */
    public static final long SYNC_GONE_MS = 6 * 60_000;
    /** The longest status message kept. */
    public static final int MAX_STATUS_MSG_CHARS = 1024;

    private final Clock clock;
    private final SyncNotifier notifier;
    private final RoomServers servers;
    private final EduOutbox outbox;

    /** Guarded by {@code this}. */
    private final Map<String, PresenceState> states = new HashMap<>();
    /** Local users' last sync, epoch milliseconds. Guarded by {@code this}. */
    private final Map<String, Long> lastSync = new HashMap<>();
    private long position;

    public PresenceService(Clock clock, SyncNotifier notifier, RoomServers servers, EduOutbox outbox) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.servers = Objects.requireNonNull(servers, "servers");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** {@code PUT /presence/{userId}/status} of a local user: setting presence counts as activity. */
    public void setPresence(String userId, String presence, Optional<String> statusMsg) {
        long now = clock.millis();
        update(userId, current -> new PresenceState(userId, presence, statusMsg, now,
                presence.equals(PresenceState.ONLINE), 0), true);
    }

    /**
     * A local user's /sync with {@code set_presence}: {@code online} marks them active and online,
     * {@code unavailable} shows them away, {@code offline} leaves their presence alone.
     */
    public void syncing(String userId, String setPresence) {
        long now = clock.millis();
        synchronized (this) {
            lastSync.put(userId, now);
        }
        switch (setPresence) {
            case PresenceState.ONLINE -> update(userId, current -> new PresenceState(userId, PresenceState.ONLINE,
                    current.statusMsg(), now, true, 0), true);
            case PresenceState.UNAVAILABLE -> update(userId, current -> new PresenceState(userId,
                    PresenceState.UNAVAILABLE, current.statusMsg(), current.lastActiveTs(), false, 0), true);
            default -> {
                // set_presence=offline: the client does not want to be shown online by syncing.
            }
        }
    }

    /** A remote user's presence from an {@code m.presence} EDU, already checked by the receiver. */
    void receiveRemote(String userId, String presence, Optional<String> statusMsg, long lastActiveAgo,
            boolean currentlyActive) {
        long lastActive = clock.millis() - Math.max(0, lastActiveAgo);
        update(userId, current -> new PresenceState(userId, presence, statusMsg, lastActive, currentlyActive, 0),
                false);
    }

    /**
     * Shows idle local users unavailable and those who stopped syncing offline; called now and then
     * by the node's scheduler.
     */
    public void expireIdle() {
        long now = clock.millis();
        List<String> idle = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        synchronized (this) {
            for (PresenceState state : states.values()) {
                if (!servers.isLocal(state.userId())) {
                    continue;
                }
                Long synced = lastSync.get(state.userId());
                if (synced != null && now - synced >= SYNC_GONE_MS && !state.presence().equals(PresenceState.OFFLINE)) {
                    gone.add(state.userId());
                } else if (state.presence().equals(PresenceState.ONLINE) && now - state.lastActiveTs() >= IDLE_MS) {
                    idle.add(state.userId());
                }
            }
        }
        for (String userId : idle) {
            update(userId, current -> new PresenceState(userId, PresenceState.UNAVAILABLE, current.statusMsg(),
                    current.lastActiveTs(), false, 0), true);
        }
        for (String userId : gone) {
            synchronized (this) {
                lastSync.remove(userId);
            }
            update(userId, current -> new PresenceState(userId, PresenceState.OFFLINE, current.statusMsg(),
                    current.lastActiveTs(), false, 0), true);
        }
    }

    /** The user's presence; offline when never seen. */
    public synchronized PresenceState get(String userId) {
        return states.getOrDefault(userId, PresenceState.unknown(userId));
    }

    /** The newest position of the presence stream. */
    public synchronized long currentPosition() {
        return position;
    }

    /**
     * The states of {@code userIds} changed after {@code from} up to {@code to}; with {@code from}
     * 0 every known state up to {@code to}.
     */
    public synchronized List<PresenceState> changedBetween(Iterable<String> userIds, long from, long to) {
        List<PresenceState> changed = new ArrayList<>();
        for (String userId : userIds) {
            PresenceState state = states.get(userId);
            if (state != null && state.streamPosition() > from && state.streamPosition() <= to) {
                changed.add(state);
            }
        }
        return changed;
    }

    public long now() {
        return clock.millis();
    }

    @FunctionalInterface
    private interface Change {
        PresenceState apply(PresenceState current);
    }

    private void update(String userId, Change change, boolean local) {
        PresenceState next;
        synchronized (this) {
            PresenceState current = get(userId);
            PresenceState proposed = change.apply(current);
            boolean news = proposed.differsFrom(current) || !states.containsKey(userId);
            long at = news ? ++position : current.streamPosition();
            next = new PresenceState(userId, proposed.presence(), proposed.statusMsg(), proposed.lastActiveTs(),
                    proposed.currentlyActive(), at);
            states.put(userId, next);
            if (!news) {
                return;
            }
        }
        servers.localUsersSharingRoomsWith(userId).forEach(notifier::wake);
        if (local) {
            ObjectNode content = JsonNodeFactory.instance.objectNode();
            ObjectNode push = content.putArray("push").addObject();
            push.put("user_id", userId);
            push.setAll(next.content(clock.millis()));
            if (!push.has("last_active_ago")) {
                push.put("last_active_ago", 0);
            }
            Set<String> destinations = servers.remoteServersSharingRoomsWith(userId);
            if (!destinations.isEmpty()) {
                outbox.send(destinations, EDU_TYPE, content);
            }
        }
    }
}
