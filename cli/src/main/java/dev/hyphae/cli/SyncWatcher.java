package dev.hyphae.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows one node's /sync as its first user, like a client left open, and tells {@link Deliveries}
 * when each message arrives. It keeps polling through restarts of its node: a failed poll is tried
 * again half a second later with the same token.
 */
final class SyncWatcher {
    // Messages only, and enough of them that a busy poll is never cut short ("limited"). No state:
    // the first /sync of a node in a hundred-member room would otherwise carry every member event.
    private static final String FILTER = "{\"room\":{\"timeline\":{\"limit\":10000,\"types\":[\"m.room.message\"]},"
            + "\"state\":{\"types\":[]},\"ephemeral\":{\"types\":[]},\"account_data\":{\"types\":[]}},"
            + "\"presence\":{\"types\":[]},\"account_data\":{\"types\":[]}}";
    private static final Duration POLL = Duration.ofSeconds(10);

    private final int node;
    private final TestnetClient client;
    private final Deliveries deliveries;
    private final ScheduledExecutorService retries;
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
    private volatile String since;
    private volatile boolean running = true;

    SyncWatcher(int node, TestnetClient client, Deliveries deliveries, ScheduledExecutorService retries) {
        this.node = node;
        this.client = client;
        this.deliveries = deliveries;
        this.retries = retries;
    }

    /** Starts polling; the answer completes once the first /sync has answered. */
    CompletableFuture<Void> start() {
        poll();
        return firstSync;
    }

    private void poll() {
        if (!running) {
            return;
        }
        client.syncAsync(since, POLL, FILTER).whenComplete((answer, failure) -> {
            if (failure != null) {
                if (running) {
                    retries.schedule(this::poll, 500, TimeUnit.MILLISECONDS);
                }
                return;
            }
            long now = System.nanoTime();
            record(answer, now);
            since = answer.path("next_batch").asText(null);
            firstSync.complete(null);
            poll();
        });
    }

    private void record(JsonNode answer, long now) {
        for (Iterator<Map.Entry<String, JsonNode>> rooms = answer.path("rooms").path("join").fields(); rooms.hasNext(); ) {
            for (JsonNode event : rooms.next().getValue().path("timeline").path("events")) {
                if (event.path("type").asText().equals("m.room.message")) {
                    deliveries.seen(event.path("content").path("body").asText(""), node, now);
                }
            }
        }
    }

    void stop() {
        running = false;
    }
}
