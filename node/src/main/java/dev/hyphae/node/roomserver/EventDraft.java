package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a local user asks to send: the parts of an event the client chooses. The pipeline adds the
 * rest (prev and auth events, depth, timestamp, hashes, signature).
 *
 * <p>An {@code m.room.redaction} names the redacted event in {@code content.redacts} whatever the
 * room version; in rooms before version 11 the pipeline moves it to the top-level {@code redacts}.
 *
 * @param stateKey the state key of a state event, or {@code null} for a message-like event
 */
public record EventDraft(String roomId, String sender, String type, String stateKey, ObjectNode content) {
    public EventDraft {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        if (type.isEmpty()) {
            throw RoomServerException.badRequest("event type must not be empty");
        }
        content = content.deepCopy();
    }

    /** A message-like (non-state) event. */
    public static EventDraft message(String roomId, String sender, String type, ObjectNode content) {
        return new EventDraft(roomId, sender, type, null, content);
    }

    /** A state event. */
    public static EventDraft state(String roomId, String sender, String type, String stateKey, ObjectNode content) {
        return new EventDraft(roomId, sender, type, Objects.requireNonNull(stateKey, "stateKey"), content);
    }

    @Override
    public ObjectNode content() {
        return content.deepCopy();
    }

    boolean isState() {
        return stateKey != null;
    }
}
