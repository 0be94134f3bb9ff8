package dev.hyphae.cli;

import java.util.List;

/**
 * The figures of one test network run.
 *
 * @param deliveries every message seen on a node other than its sender's, with its latency
 * @param convergence the time each room took to reach one state on all its nodes after an event
 * @param sendFailures send requests a node did not accept (never counted as sent)
 * @param lost (message, node) pairs missing from a member node's timeline at the end
 * @param duplicated (message, node) pairs found more than once in a timeline
 * @param divergedRooms rooms whose nodes still disagreed on the current state at the end
 * @param wireBytes bytes all libp2p connections sent while messages flowed and settled
 * @param idle memory with every node started and every room joined, before traffic
 * @param end memory after the traffic, before the nodes stop
 */
record TestnetResult(TestnetPlan plan, long sent, List<Deliveries.Delivery> deliveries, long expectedDeliveries,
        List<Convergence> convergence, long sendFailures, long lost, long duplicated, int divergedRooms,
        long wireBytes, Memory idle, Memory end, double startSeconds, double joinSeconds) {

    /** The time from {@code event} (partition healed, node restarted, traffic over) to one state for {@code room}. */
    record Convergence(String event, int room, double seconds, boolean converged) {
    }

    /** The process's memory: heap in use after a full GC, resident set size, live threads. */
    record Memory(long heapUsedBytes, long rssBytes, int threads, int nodes) {
        long heapPerNode() {
            return heapUsedBytes / Math.max(1, nodes);
        }

        long rssPerNode() {
            return rssBytes / Math.max(1, nodes);
        }
    }

    TestnetResult {
        deliveries = List.copyOf(deliveries);
        convergence = List.copyOf(convergence);
    }

    /** Zero losses, no duplicates and every room in one state: what a run must reach. */
    boolean passed() {
        return lost == 0 && duplicated == 0 && divergedRooms == 0;
    }
}
