package dev.hyphae.store;

import java.util.Objects;

/**
 * One piece of a user's account data.
 *
 * @param roomId         the room it is scoped to, or {@code null} for global account data
 * @param contentJson    the event content, a JSON object as text
 * @param streamPosition the account data stream position of its latest change
 */
public record AccountDataEntry(String userId, String roomId, String type, String contentJson, long streamPosition) {
    public AccountDataEntry {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(contentJson, "contentJson");
        if (roomId != null && roomId.isEmpty()) {
            throw new IllegalArgumentException("room id must be null for global account data, not empty");
        }
    }

    public boolean isGlobal() {
        return roomId == null;
    }
}
