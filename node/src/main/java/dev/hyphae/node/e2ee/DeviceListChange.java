package dev.hyphae.node.e2ee;

import java.util.Objects;
import java.util.Set;

/**
 * What one change of a user's device list touched, so other servers are told of that only: the
 * devices whose keys or signatures changed, and whether the user's cross-signing keys (or the
 * signatures on them) did. {@link #everything()} when the caller cannot say.
 */
public record DeviceListChange(Set<String> deviceIds, boolean crossSigningKeys, boolean all) {
    public DeviceListChange {
        deviceIds = Set.copyOf(Objects.requireNonNull(deviceIds, "deviceIds"));
    }

    /** Every device and the cross-signing keys. */
    public static DeviceListChange everything() {
        return new DeviceListChange(Set.of(), true, true);
    }

    /** The keys (or signatures) of one device. */
    public static DeviceListChange device(String deviceId) {
        return new DeviceListChange(Set.of(Objects.requireNonNull(deviceId, "deviceId")), false, false);
    }

    /** Of the given devices, and of the cross-signing keys when {@code crossSigningKeys}. */
    public static DeviceListChange of(Set<String> deviceIds, boolean crossSigningKeys) {
        return new DeviceListChange(deviceIds, crossSigningKeys, false);
    }

    /** Whether other servers must hear of {@code deviceId}. */
    public boolean includesDevice(String deviceId) {
        return all || deviceIds.contains(deviceId);
    }
}
