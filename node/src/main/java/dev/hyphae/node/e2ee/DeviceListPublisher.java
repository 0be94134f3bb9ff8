package dev.hyphae.node.e2ee;

import dev.hyphae.store.WriteTransaction;
import java.util.List;

/**
 * Tells other servers of device list changes: called inside the write unit that records a change,
 * so the news for them is queued durably with it. Implementations ignore users of other servers.
 */
@FunctionalInterface
public interface DeviceListPublisher {
    /** The user's devices, device keys or cross-signing keys changed at {@code position}. */
    void changed(WriteTransaction tx, String userId, long position);

    /**
     * As {@link #changed(WriteTransaction, String, long)}, knowing what changed: other servers need
     * hear only of that. By default everything is announced.
     */
    default void changed(WriteTransaction tx, String userId, long position, DeviceListChange change) {
        changed(tx, userId, position);
    }

    /** The user's devices {@code deviceIds} were deleted in the change at {@code position}. */
    default void devicesDeleted(WriteTransaction tx, String userId, List<String> deviceIds, long position) {
    }

    /** For a node that does not federate. */
    DeviceListPublisher NONE = (tx, userId, position) -> { };
}
