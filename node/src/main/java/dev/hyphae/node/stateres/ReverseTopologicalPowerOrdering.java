package dev.hyphae.node.stateres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The reverse topological power ordering: the lexicographically smallest topological ordering of
 * the auth-event DAG over a set of events, earliest first, found with Kahn's algorithm taking at
 * each step the smallest candidate where x &lt; y if x's sender has greater power, else x's
 * {@code origin_server_ts} is less, else x's event ID is less.
 */
final class ReverseTopologicalPowerOrdering {
    private ReverseTopologicalPowerOrdering() {
    }

    /** One event of the DAG with its sort key, computed once: power, then timestamp, then ID. */
    private static final class Node {
        final String eventId;
        final long power;
        final long originServerTs;
        final List<Node> dependents = new ArrayList<>(2);
        int pendingAuth;

        Node(String eventId, long power, long originServerTs) {
            this.eventId = eventId;
            this.power = power;
            this.originServerTs = originServerTs;
        }
    }

    /** x before y when x's sender has greater power, else x's timestamp is less, else x's event ID is less. */
    private static final Comparator<Node> ORDER = (a, b) -> {
        int byPower = Long.compare(b.power, a.power);
        if (byPower != 0) {
            return byPower;
        }
        int byTime = Long.compare(a.originServerTs, b.originServerTs);
        return byTime != 0 ? byTime : a.eventId.compareTo(b.eventId);
    };

    static List<String> sort(Collection<String> eventIds, ResolutionEvents events) {
        Map<String, Node> nodes = new HashMap<>(eventIds.size() * 2);
        for (String id : eventIds) {
            nodes.computeIfAbsent(id, k -> new Node(k, events.senderPower(k), events.event(k).originServerTs()));
        }
        for (Node node : nodes.values()) {
            for (String auth : new HashSet<>(events.authEvents(node.eventId))) {
                Node authNode = nodes.get(auth);
                if (authNode != null) {
                    node.pendingAuth++;
                    authNode.dependents.add(node);
                }
            }
        }
        PriorityQueue<Node> candidates = new PriorityQueue<>(Math.max(1, nodes.size()), ORDER);
        for (Node node : nodes.values()) {
            if (node.pendingAuth == 0) {
                candidates.add(node);
            }
        }
        List<String> sorted = new ArrayList<>(nodes.size());
        while (!candidates.isEmpty()) {
            Node next = candidates.poll();
            sorted.add(next.eventId);
            for (Node dependent : next.dependents) {
                if (--dependent.pendingAuth == 0) {
                    candidates.add(dependent);
                }
            }
        }
        if (sorted.size() != nodes.size()) {
            throw new IllegalStateException("auth events form a cycle among " + (nodes.size() - sorted.size())
                    + " events");
        }
        return sorted;
    }
}
