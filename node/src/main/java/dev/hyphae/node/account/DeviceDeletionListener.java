package dev.hyphae.node.account;

import dev.hyphae.store.WriteTransaction;
import java.util.List;

/**
 * Told of deleted devices inside the write unit that deletes them (a logout, {@code DELETE
 * /devices/{deviceId}}, {@code /delete_devices}, a password change that logs devices out, a
 * deactivation), so that what hangs on a device (its keys, the device list others see, the news
 * for other servers) changes in the same commit.
 */
@FunctionalInterface
public interface DeviceDeletionListener {
    /** {@code deviceIds} were deleted from the user's devices in {@code tx}; never empty. */
    void devicesDeleted(WriteTransaction tx, String userId, List<String> deviceIds);

    /** For a node without end-to-end encryption. */
    DeviceDeletionListener NONE = (tx, userId, deviceIds) -> { };
}
