package dev.hyphae.node.e2ee;

import dev.hyphae.store.Membership;
import dev.hyphae.store.ReadTransaction;
import dev.hyphae.store.Store;
import dev.hyphae.store.WriteTransaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The device list stream: each change of a user's devices, device keys or cross-signing keys gets
 * a position, so {@code /sync} ({@code device_lists}) and {@code /keys/changes} can say whose
 * device lists changed between two positions. A requester only learns about users it shares a
 * joined room with, and about itself.
 */
public final class DeviceLists {
    private final Store store;
    private final E2eeListener listener;
    private final DeviceListPublisher publisher;

    public DeviceLists(Store store, E2eeListener listener) {
        this(store, listener, DeviceListPublisher.NONE);
    }

    /** Device lists whose changes are also handed to {@code publisher} for other servers. */
    public DeviceLists(Store store, E2eeListener listener, DeviceListPublisher publisher) {
        this.store = Objects.requireNonNull(store, "store");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** The position of the latest device list change, 0 when there was none. */
    public long currentPosition() {
        return store.read(tx -> tx.deviceListChanges().latestPosition());
    }

    /**
     * Records a change of the user's device list inside the caller's write unit (for example when a
     * device is added or deleted) and tells the listener after the commit. Returns the position.
     */
    public long recordChange(WriteTransaction tx, String userId) {
        return recordChange(tx, userId, DeviceListChange.everything());
    }

    /**
     * As {@link #recordChange(WriteTransaction, String)}, naming what changed, so the publisher
     * tells other servers of that only.
     */
    public long recordChange(WriteTransaction tx, String userId, DeviceListChange change) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(change, "change");
        long position = tx.deviceListChanges().record(userId);
        publisher.changed(tx, userId, position, change);
        tx.afterCommit(() -> listener.deviceListChanged(userId, position));
        return position;
    }

    /**
     * Makes deleted devices a device list change, inside the unit that deleted them: the keys
     * others signed on them go (their own keys went with the device rows), the members sent to
     * them under lazy-loading are forgotten, the user's other devices and the users sharing a
     * room with the user see the change in {@code device_lists.changed}, and the publisher tells
     * the other servers which devices are gone. Returns the change's position.
     */
    public long devicesDeleted(WriteTransaction tx, String userId, Collection<String> deviceIds) {
        Objects.requireNonNull(userId, "userId");
        List<String> deleted = List.copyOf(deviceIds);
        for (String deviceId : deleted) {
            tx.keySignatures().deleteOnKey(userId, deviceId);
            tx.sentMembers().clear(userId, deviceId);
        }
        long position = tx.deviceListChanges().record(userId);
        publisher.devicesDeleted(tx, userId, deleted, position);
        tx.afterCommit(() -> listener.deviceListChanged(userId, position));
        return position;
    }

    /** {@link #recordChange(WriteTransaction, String)} in a unit of its own. */
    public CompletableFuture<Long> recordChange(String userId) {
        return store.write(tx -> recordChange(tx, userId));
    }

    /**
     * The users, among those the requester shares a joined room with and the requester itself,
     * whose device lists changed after {@code from} up to and including {@code to}. {@code left}
     * is empty: who stopped sharing a room is known from membership changes, see
     * {@link #noLongerSharingRoomWith}.
     *
     * @throws E2eeException M_INVALID_PARAM when {@code from} is negative or after {@code to}
     */
    public KeyChanges changes(String requesterUserId, long from, long to) {
        Objects.requireNonNull(requesterUserId, "requesterUserId");
        if (from < 0 || to < from) {
            throw E2eeException.invalidParam("'from' must be a position before 'to'");
        }
        return store.read(tx -> {
            Set<String> visible = usersSharingRoomWith(tx, requesterUserId);
            List<String> changed = new ArrayList<>();
            for (String user : tx.deviceListChanges().changedBetween(from, to)) {
                if (visible.contains(user)) {
                    changed.add(user);
                }
            }
            return new KeyChanges(changed, List.of());
        });
    }

    /**
     * Of {@code candidates} (users whose membership of a room shared with the requester changed),
     * those the requester now shares no joined room with: the {@code device_lists.left} of /sync.
     */
    public List<String> noLongerSharingRoomWith(String requesterUserId, Collection<String> candidates) {
        Objects.requireNonNull(requesterUserId, "requesterUserId");
        return store.read(tx -> {
            Set<String> sharing = usersSharingRoomWith(tx, requesterUserId);
            return candidates.stream().distinct().filter(user -> !sharing.contains(user)).sorted().toList();
        });
    }

    static Set<String> usersSharingRoomWith(ReadTransaction tx, String userId) {
        Set<String> users = new HashSet<>();
        users.add(userId);
        for (Membership mine : tx.memberships().forUser(userId)) {
            if (!"join".equals(mine.membership())) {
                continue;
            }
            for (Membership other : tx.memberships().inRoom(mine.roomId())) {
                if ("join".equals(other.membership())) {
                    users.add(other.userId());
                }
            }
        }
        return users;
    }
}
