package dev.hyphae.node.accountdata;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * A user's account data changed after a stream position, shaped as /sync returns it.
 *
 * @param global   the changed global account data as events ({@code type} and {@code content})
 * @param rooms    per room ID, the changed room account data as events
 * @param position the stream position to ask from next time
 */
public record AccountDataChanges(List<ObjectNode> global, Map<String, List<ObjectNode>> rooms, long position) {
    public AccountDataChanges {
        global = List.copyOf(global);
        rooms = Map.copyOf(rooms);
    }

    public boolean isEmpty() {
        return global.isEmpty() && rooms.isEmpty();
    }
}
