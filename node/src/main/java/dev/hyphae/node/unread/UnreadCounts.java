package dev.hyphae.node.unread;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.store.NotificationCounts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A user's unread notification counts in one room, as /sync shows them.
 *
 * @param main    the counts of the whole room, or of its main timeline when threads are counted apart
 * @param threads the counts per thread root, only when threads are counted apart (else empty)
 */
public record UnreadCounts(NotificationCounts.Count main, Map<String, NotificationCounts.Count> threads) {
    public UnreadCounts {
        Objects.requireNonNull(main, "main");
        threads = Map.copyOf(threads);
    }

    /**
     * The counts shown for the stored counts per thread ({@link NotificationCounts#MAIN} the main timeline).
     *
     * @param byThread whether threads are shown apart ({@code unread_thread_notifications}) or added to the room's
     */
    public static UnreadCounts of(Map<String, NotificationCounts.Count> stored, boolean byThread) {
        NotificationCounts.Count main = NotificationCounts.Count.ZERO;
        Map<String, NotificationCounts.Count> threads = new LinkedHashMap<>();
        for (Map.Entry<String, NotificationCounts.Count> thread : new TreeMap<>(stored).entrySet()) {
            if (!byThread || thread.getKey().equals(NotificationCounts.MAIN)) {
                main = main.plus(thread.getValue());
            } else if (!thread.getValue().equals(NotificationCounts.Count.ZERO)) {
                threads.put(thread.getKey(), thread.getValue());
            }
        }
        return new UnreadCounts(main, threads);
    }

    /** The {@code notification_count} and {@code highlight_count} of one room or thread. */
    public static ObjectNode toJson(NotificationCounts.Count count) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("highlight_count", count.highlights());
        json.put("notification_count", count.notifications());
        return json;
    }
}
