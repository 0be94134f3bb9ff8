package dev.hyphae.store;

import java.util.Objects;

/**
 * One megolm session's key in a key backup (the spec's {@code KeyBackupData}).
 *
 * @param sessionDataJson the algorithm-dependent {@code session_data} object as JSON text
 */
public record BackedUpRoomKey(String roomId, String sessionId, long firstMessageIndex, long forwardedCount,
                              boolean verified, String sessionDataJson) {
    public BackedUpRoomKey {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionDataJson, "sessionDataJson");
    }
}
