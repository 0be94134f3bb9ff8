package dev.hyphae.node.e2ee;

import dev.hyphae.store.BackedUpRoomKey;

/**
 * The spec's rule for a session already in a backup: keep the verified key; if both or neither are
 * verified, the lower {@code first_message_index}; if equal, the lower {@code forwarded_count}.
 * A key equal on all three keeps the stored one.
 */
final class RoomKeyReplacement {
    private RoomKeyReplacement() {
    }

    static boolean isBetter(BackedUpRoomKey candidate, BackedUpRoomKey stored) {
        if (candidate.verified() != stored.verified()) {
            return candidate.verified();
        }
        if (candidate.firstMessageIndex() != stored.firstMessageIndex()) {
            return candidate.firstMessageIndex() < stored.firstMessageIndex();
        }
        return candidate.forwardedCount() < stored.forwardedCount();
    }
}
