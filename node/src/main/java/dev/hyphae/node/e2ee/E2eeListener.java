package dev.hyphae.node.e2ee;

/**
 * Told after a commit that a stream advanced, so that waiting {@code /sync} requests can wake.
 * Called on the store's notification thread: implementations must be quick and must not block.
 */
public interface E2eeListener {
    /** A message arrived in the device's to-device inbox at {@code position}. */
    default void toDeviceMessage(String userId, String deviceId, long position) {
    }

    /** The user's device list, device keys or cross-signing keys changed at {@code position}. */
    default void deviceListChanged(String userId, long position) {
    }

    /** The device's one-time key counts or unused fallback key types changed. */
    default void oneTimeKeysChanged(String userId, String deviceId) {
    }

    E2eeListener NONE = new E2eeListener() {
    };
}
