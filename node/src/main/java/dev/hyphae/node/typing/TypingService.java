package dev.hyphae.node.typing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.edu.RoomServers;
import dev.hyphae.node.federation.EduOutbox;
import dev.hyphae.node.sync.SyncNotifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is typing in which room (client-server API, "Typing Notifications"). Kept in memory only: a
 * restart forgets typing, as it is meant to be short-lived. Every change takes the next position of
 * the typing stream; a room remembers the position of its last change, so /sync sends a room's
 * whole list again whenever it changed. Local users' changes go to the servers of the room's other
 * members as {@code m.typing} EDUs.
 */
public final class TypingService {
    /** The EDU type, also the type of the event in a room's {@code ephemeral} section. */
    public static final String EDU_TYPE = "m.typing";
    /** How long a client may ask to be shown typing at most. */
    public static final long MAX_TIMEOUT_MS = 120_000;
    /** How long a client is shown typing when it gives no timeout. */
    public static final long DEFAULT_TIMEOUT_MS = 30_000;
    /** How long a remote user is shown typing: the EDU carries no timeout. */
    public static final long REMOTE_TIMEOUT_MS = 30_000;

    private final Clock clock;
    private final SyncNotifier notifier;
    private final RoomServers servers;
    private final EduOutbox outbox;

    /** Room ID to (user ID to expiry in epoch milliseconds). Guarded by {@code this}. */
    private final Map<String, Map<String, Long>> typing = new HashMap<>();
    /** Room ID to the position of the room's last change. Guarded by {@code this}. */
    private final Map<String, Long> changedAt = new HashMap<>();
    private long position;

    public TypingService(Clock clock, SyncNotifier notifier, RoomServers servers, EduOutbox outbox) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.servers = Objects.requireNonNull(servers, "servers");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * A local user starts ({@code typing}, for {@code timeoutMs}, capped at {@link #MAX_TIMEOUT_MS})
     * or stops typing. The caller checked that the user is joined to the room.
     */
    public void setLocal(String roomId, String userId, boolean typing, long timeoutMs) {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        boolean changed = set(roomId, userId, typing, Math.min(timeoutMs, MAX_TIMEOUT_MS));
        if (changed) {
            sendEdu(roomId, userId, typing);
        }
    }

    /** A remote user's {@code m.typing} EDU, already checked by the receiver. */
    void setRemote(String roomId, String userId, boolean typing) {
        set(roomId, userId, typing, REMOTE_TIMEOUT_MS);
    }

    /**
     * Ends the typing whose time ran out; called now and then by the node's scheduler and before
     * every read, so that a stale entry is never shown.
     */
    public void expireDue() {
        long now = clock.millis();
        List<String[]> expiredLocal = new ArrayList<>();
        List<String> rooms = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Map<String, Long>> room : typing.entrySet()) {
                boolean changed = room.getValue().entrySet().removeIf(entry -> {
                    if (entry.getValue() <= now) {
                        expiredLocal.add(new String[] {room.getKey(), entry.getKey()});
                        return true;
                    }
                    return false;
                });
                if (changed) {
                    changedAt.put(room.getKey(), ++position);
                    rooms.add(room.getKey());
                }
            }
            typing.values().removeIf(Map::isEmpty);
        }
        rooms.forEach(this::wakeMembers);
        for (String[] expired : expiredLocal) {
            if (servers.isLocal(expired[1])) {
                sendEdu(expired[0], expired[1], false);
            }
        }
    }

    /** The newest position of the typing stream. */
    public long currentPosition() {
        expireDue();
        synchronized (this) {
            return position;
        }
    }

    /** The users typing in the room now, sorted. */
    public synchronized List<String> typingIn(String roomId) {
        return List.copyOf(new TreeSet<>(typing.getOrDefault(roomId, Map.of()).keySet()));
    }

    /**
     * The rooms among {@code roomIds} whose typing changed after {@code from} up to {@code to}
     * (every room with someone typing when {@code from} is 0), each with its users typing now.
     */
    public synchronized Map<String, List<String>> changedBetween(Iterable<String> roomIds, long from, long to) {
        Map<String, List<String>> changed = new LinkedHashMap<>();
        for (String roomId : roomIds) {
            long at = changedAt.getOrDefault(roomId, 0L);
            boolean include = from == 0 ? typing.containsKey(roomId) && at <= to : at > from && at <= to;
            if (include) {
                changed.put(roomId, typingIn(roomId));
            }
        }
        return changed;
    }

    /** The {@code m.typing} event of a room's ephemeral section. */
    public static ObjectNode event(List<String> userIds) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", EDU_TYPE);
        userIds.forEach(event.putObject("content").putArray("user_ids")::add);
        return event;
    }

    private boolean set(String roomId, String userId, boolean isTyping, long timeoutMs) {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        boolean changed;
        synchronized (this) {
            Map<String, Long> room = typing.get(roomId);
            if (isTyping) {
                if (room == null) {
                    room = new HashMap<>();
                    typing.put(roomId, room);
                }
                // A renewal only moves the expiry: nobody needs to hear of it again.
                changed = room.put(userId, clock.millis() + timeoutMs) == null;
            } else {
                changed = room != null && room.remove(userId) != null;
                if (room != null && room.isEmpty()) {
                    typing.remove(roomId);
                }
            }
            if (changed) {
                changedAt.put(roomId, ++position);
            }
        }
        if (changed) {
            wakeMembers(roomId);
        }
        return changed;
    }

    private void wakeMembers(String roomId) {
        servers.localMembersOf(roomId).forEach(notifier::wake);
    }

    private void sendEdu(String roomId, String userId, boolean isTyping) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.put("room_id", roomId);
        content.put("user_id", userId);
        content.put("typing", isTyping);
        Set<String> destinations = servers.remoteServersOf(roomId);
        if (!destinations.isEmpty()) {
            outbox.send(destinations, EDU_TYPE, content);
        }
    }
}
