package dev.hyphae.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages a test network sent and where each arrived: a message is {@code tn-<number>}, sent
 * once by one node into one room, and delivered when it shows up in the /sync of each other node
 * of that room. All times are {@link System#nanoTime()} of this one process.
 */
final class Deliveries {
    private static final Pattern BODY = Pattern.compile("tn-(\\d+)");

    /** One message sent: its room, its sender's node and when the send request left. */
    record Sent(long number, int room, int senderNode, long sentNanos, int recipients) {
    }

    /** One message seen on one node other than its sender's. */
    record Delivery(long number, int room, int senderNode, int node, long sentNanos, long latencyNanos) {
    }

    private final AtomicLong numbers = new AtomicLong();
    private final Map<Long, Sent> sent = new ConcurrentHashMap<>();
    // message number -> nodes that saw it (the first sighting only)
    private final Map<Long, Map<Integer, Long>> seen = new ConcurrentHashMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicLong expected = new AtomicLong();
    // number * KEY_SPACE + node of every delivery recorded, so none counts twice
    private final Set<Long> recorded = new HashSet<>();
    private static final long KEY_SPACE = 1 << 20;

    /** The body of the next message. */
    String nextBody() {
        return "tn-" + numbers.incrementAndGet();
    }

    /** Records that the message with {@code body} was accepted by its node; {@code recipients}: other nodes of the room. */
    void sent(String body, int room, int senderNode, long sentNanos, int recipients) {
        long number = number(body);
        sent.put(number, new Sent(number, room, senderNode, sentNanos, recipients));
        expected.addAndGet(recipients);
        // Sightings that came before the send request returned are kept in seen and counted now.
        Map<Integer, Long> early = seen.getOrDefault(number, Map.of());
        early.forEach((node, at) -> record(number, node, at));
    }

    /** Records that {@code node} saw {@code body} at {@code atNanos}; bodies of other senders are ignored. */
    void seen(String body, int node, long atNanos) {
        Matcher matcher = BODY.matcher(body);
        if (!matcher.matches()) {
            return;
        }
        long number = Long.parseLong(matcher.group(1));
        Map<Integer, Long> nodes = seen.computeIfAbsent(number, n -> new ConcurrentHashMap<>());
        if (nodes.putIfAbsent(node, atNanos) == null && sent.containsKey(number)) {
            record(number, node, atNanos);
        }
    }

    private synchronized void record(long number, int node, long atNanos) {
        Sent message = sent.get(number);
        if (message == null || message.senderNode() == node) {
            return;
        }
        if (!recorded.add(number * KEY_SPACE + node)) {
            return;
        }
        deliveries.add(new Delivery(number, message.room(), message.senderNode(), node, message.sentNanos(),
                Math.max(0, atNanos - message.sentNanos())));
    }

    private static long number(String body) {
        Matcher matcher = BODY.matcher(body);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a test network message: " + body);
        }
        return Long.parseLong(matcher.group(1));
    }

    long sentCount() {
        return sent.size();
    }

    /** Deliveries owed: for each message sent, the other nodes of its room. */
    long expectedCount() {
        return expected.get();
    }

    synchronized long deliveredCount() {
        return deliveries.size();
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    List<Sent> sentMessages() {
        return List.copyOf(sent.values());
    }
}
