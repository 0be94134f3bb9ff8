package dev.hyphae.store;

import java.util.Objects;

/** A room this node knows, with the room version that fixes its event format and rules. */
public record Room(String roomId, String roomVersion, long createdTs) {
    public Room {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(roomVersion, "roomVersion");
        if (roomId.isBlank() || roomVersion.isBlank()) {
            throw new IllegalArgumentException("room id and room version must not be blank");
        }
    }
}
