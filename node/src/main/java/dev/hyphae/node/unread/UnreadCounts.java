package dev.hyphae.node.unread;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * A user's unread notification counts in one room.
 *
 * @param main    the counts of the whole room, or of its main timeline when threads are counted apart
 * @param threads the counts per thread root, only when threads are counted apart (else empty)
 */
public record UnreadCounts(Count main, Map<String, Count> threads) {
    public UnreadCounts {
        Objects.requireNonNull(main, "main");
        threads = Map.copyOf(threads);
    }

    /** The {@code notification_count} and {@code highlight_count} of one room or thread. */
    public record Count(long notifications, long highlights) {
        public static final Count ZERO = new Count(0, 0);

        Count plus(boolean notifies, boolean highlight) {
            return new Count(notifications + (notifies ? 1 : 0), highlights + (highlight ? 1 : 0));
        }

        public ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("highlight_count", highlights);
            json.put("notification_count", notifications);
            return json;
        }
    }
}
