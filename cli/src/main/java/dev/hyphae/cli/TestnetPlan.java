package dev.hyphae.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one test network run does, checked: every constructor argument is valid or the constructor
 * throws an {@link IllegalArgumentException} naming the option at fault.
 *
 * @param nodes how many nodes start, all in this process
 * @param rooms how many rooms are created, spread over the nodes
 * @param usersPerNode accounts made on each node; every one joins the rooms of its node
 * @param nodesPerRoom how many nodes share each room (all of them by default)
 * @param duration how long messages are sent
 * @param rate messages per second sent over the whole network
 * @param churn how many times a node (never the first, the bootstrap peer) stops and restarts while messages flow
 * @param churnDowntime how long a stopped node stays down
 * @param partition how long the network stays cut in two halves, empty for no partition
 * @param settle how long to wait after the last message for deliveries and convergence before counting losses
 * @param runDirectory where the nodes' data and the results go
 */
record TestnetPlan(int nodes, int rooms, int usersPerNode, int nodesPerRoom, Duration duration, double rate, int churn,
        Duration churnDowntime, Duration partition, Duration settle, Path runDirectory) {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    static final int MAX_NODES = 1000;

    TestnetPlan {
        Objects.requireNonNull(runDirectory, "runDirectory");
        require(nodes >= 2 && nodes <= MAX_NODES, "--nodes must be between 2 and " + MAX_NODES + ", not " + nodes);
        require(rooms >= 1, "--rooms must be at least 1, not " + rooms);
        require(usersPerNode >= 1, "--users-per-node must be at least 1, not " + usersPerNode);
        require(nodesPerRoom >= 2 && nodesPerRoom <= nodes,
                "--nodes-per-room must be between 2 and --nodes (" + nodes + "), not " + nodesPerRoom);
        require(positive(duration), "--duration must be positive");
        require(rate > 0 && rate <= 10_000 && !Double.isNaN(rate), "--rate must be above 0 and at most 10000 messages a second");
        require(churn >= 0, "--churn must not be negative, not " + churn);
        require(positive(churnDowntime), "--churn-downtime must be positive");
        require(partition.isZero() || positive(partition), "--partition must not be negative");
        require(partition.multipliedBy(4).compareTo(duration) < 0,
                "--partition must be shorter than a quarter of --duration (it starts a quarter in and heals by half-time)");
        require(churn == 0 || churnDowntime.multipliedBy(churn).compareTo(duration.multipliedBy(nodes - 1)) < 0,
                "--churn " + churn + " times --churn-downtime does not fit into --duration on " + (nodes - 1) + " nodes");
        require(positive(settle), "--settle must be positive");
    }

    private static void require(boolean holds, String reason) {
        if (!holds) {
            throw new IllegalArgumentException(reason);
        }
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    boolean partitioned() {
        return !partition.isZero();
    }

    /** The nodes of room {@code room}, its creator first: consecutive nodes from {@code room mod nodes}. */
    int[] roomNodes(int room) {
        int[] members = new int[nodesPerRoom];
        for (int i = 0; i < nodesPerRoom; i++) {
            members[i] = (room + i) % nodes;
        }
        return members;
    }

    /** The side of the partition a node is on: the first half of the nodes is side 0. */
    int side(int node) {
        return node < nodes / 2 ? 0 : 1;
    }

    /**
     * A duration as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S});
     * {@code option} names the option in the message of a bad value.
     */
    static Duration parseDuration(String option, String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT_DURATION.matcher(trimmed);
        if (matcher.matches()) {
            double amount = Double.parseDouble(matcher.group(1));
            double millis = switch (matcher.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a duration like 500ms, 30s, 2m or PT1M, not '" + text + "'");
        }
    }
}
