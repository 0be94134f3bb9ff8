package dev.hyphae.node.federation.e2ee;

import dev.hyphae.node.federation.outbound.JoinedServers;
import dev.hyphae.node.roomserver.RoomEventListener;
import dev.hyphae.store.Membership;
import dev.hyphae.store.Store;
import dev.hyphae.store.StoredEvent;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the cached device lists of remote users who no longer share a room with a local user,
 * told of each new {@code m.room.member} event. Their servers stop sending this server updates,
 * so a list kept past that point would be stale when they share a room again; dropping it makes
 * the next key query ask their server.
 */
public final class RemoteDeviceListPruning implements RoomEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDeviceListPruning.class);

    private final Store store;
    private final RemoteDeviceLists lists;
    private final String localServer;
    private final Executor executor;

    /**
     * @param executor runs the checks away from the store's notification thread
     */
    public RemoteDeviceListPruning(Store store, RemoteDeviceLists lists, String localServer, Executor executor) {
        this.store = Objects.requireNonNull(store, "store");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void onNewEvent(String roomId, String eventId, long streamOrdering) {
        try {
            executor.execute(() -> prune(roomId, eventId));
        } catch (RejectedExecutionException e) {
            LOG.debug("not checking device lists after {}: shutting down", eventId);
        }
    }

    private void prune(String roomId, String eventId) {
        try {
            for (String userId : affectedUsers(roomId, eventId)) {
                lists.current(userId); // drops the list of a user who shares no room any more
            }
        } catch (RuntimeException e) {
            LOG.warn("checking cached device lists after {} in {} failed", eventId, roomId, e);
        }
    }

    /**
     * The remote users whose sharing of rooms the member event may have ended: its own user if
     * remote, else (a local user's membership changed) every remote member of the room.
     */
    private Set<String> affectedUsers(String roomId, String eventId) {
        return store.read(tx -> {
            Optional<StoredEvent> event = tx.events().get(eventId);
            Set<String> users = new LinkedHashSet<>();
            if (event.isEmpty() || !"m.room.member".equals(event.get().type()) || event.get().stateKey() == null) {
                return users;
            }
            String member = event.get().stateKey();
            if (!isLocal(member)) {
                users.add(member);
                return users;
            }
            for (Membership other : tx.memberships().inRoom(roomId)) {
                if (!isLocal(other.userId())) {
                    users.add(other.userId());
                }
            }
            return users;
        });
    }

    private boolean isLocal(String userId) {
        return JoinedServers.serverOf(userId).map(localServer::equals).orElse(true);
    }
}
