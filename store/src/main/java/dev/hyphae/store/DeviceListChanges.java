package dev.hyphae.store;

import java.util.Set;

/**
 * A stream of device list changes: each change of a user's devices, device keys or cross-signing
 * keys gets a new, increasing position. Only a user's latest change is kept.
 */
public interface DeviceListChanges {
    /** The position of the latest change, or 0 when there was none. */
    long latestPosition();

    /** The users whose latest change lies in {@code (from, to]}, ordered by user ID. */
    Set<String> changedBetween(long from, long to);

    interface Writer extends DeviceListChanges {
        /** Records a change of the user's device list and returns its position. */
        long record(String userId);
    }
}
