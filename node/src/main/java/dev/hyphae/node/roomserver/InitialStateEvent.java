package dev.hyphae.node.roomserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** One entry of {@code initial_state} in {@code /createRoom}; the state key defaults to "". */
public record InitialStateEvent(String type, String stateKey, ObjectNode content) {
    public InitialStateEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        stateKey = stateKey == null ? "" : stateKey;
        content = content.deepCopy();
    }

    @Override
    public ObjectNode content() {
        return content.deepCopy();
    }
}
