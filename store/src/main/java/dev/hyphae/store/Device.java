package dev.hyphae.store;

import java.util.Objects;

/**
 * A device of a local user.
 *
 * @param displayName the display name, or {@code null}
 * @param lastSeenTs  when the device was last seen, or {@code null} if never
 * @param lastSeenIp  the address it was last seen from, or {@code null} if never
 */
public record Device(String userId, String deviceId, String displayName, Long lastSeenTs, String lastSeenIp) {
    public Device {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        if (deviceId.isBlank()) {
            throw new IllegalArgumentException("device id must not be blank");
        }
    }
}
