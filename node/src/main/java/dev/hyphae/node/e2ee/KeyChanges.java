package dev.hyphae.node.e2ee;

import java.util.List;

/**
 * The answer of {@code GET /keys/changes} and the {@code device_lists} of {@code /sync}.
 *
 * @param changed users whose device list or cross-signing keys changed
 * @param left    users with whom the requester no longer shares a room
 */
public record KeyChanges(List<String> changed, List<String> left) {
    public KeyChanges {
        changed = List.copyOf(changed);
        left = List.copyOf(left);
    }
}
