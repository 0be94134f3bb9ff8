package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of the benchmarks that long-polls /sync on its own thread and notes, in
 * {@link System#nanoTime()}, when each joined room and each message (by its body) first appears.
 */
final class SyncFollower implements AutoCloseable {
    private final MatrixTestClient client;
    private final String filter;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Long> joinedRooms = new ConcurrentHashMap<>();
    private final AtomicInteger limitedSyncs = new AtomicInteger();
    private volatile boolean running = true;

    /** Starts following {@code client}'s /sync with {@code filter} (a filter JSON). */
    SyncFollower(MatrixTestClient client, String filter) {
        this.client = client;
        this.filter = filter;
        Thread thread = new Thread(this::follow, "sync-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** Message body -> when it first came back. */
    Map<String, Long> arrivals() {
        return arrivals;
    }

    /** Room ID -> when it first came back among the joined rooms. */
    Map<String, Long> joinedRooms() {
        return joinedRooms;
    }

    /** How many incremental responses had a limited timeline (arrivals may have been missed). */
    int limitedSyncs() {
        return limitedSyncs.get();
    }

    @Override
    public void close() {
        running = false;
    }

    private void follow() {
        String since = null;
        while (running) {
            try {
                String query = "?timeout=30000&filter=" + MatrixTestClient.enc(filter)
                        + (since == null ? "" : "&since=" + MatrixTestClient.enc(since));
                JsonNode sync = client.call("GET", "/_matrix/client/v3/sync" + query, null);
                long now = System.nanoTime();
                for (Iterator<Map.Entry<String, JsonNode>> rooms = sync.path("rooms").path("join").fields(); rooms.hasNext();) {
                    Map.Entry<String, JsonNode> room = rooms.next();
                    joinedRooms.putIfAbsent(room.getKey(), now);
                    JsonNode timeline = room.getValue().path("timeline");
                    if (since != null && timeline.path("limited").asBoolean(false)) {
                        limitedSyncs.incrementAndGet();
                    }
                    for (JsonNode event : timeline.path("events")) {
                        if (event.path("type").asText().equals("m.room.message")) {
                            arrivals.putIfAbsent(event.path("content").path("body").asText(), now);
                        }
                    }
                }
                since = sync.path("next_batch").asText();
            } catch (IOException e) {
                if (running) {
                    System.out.println("# sync failed, retrying: " + e.getMessage());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
