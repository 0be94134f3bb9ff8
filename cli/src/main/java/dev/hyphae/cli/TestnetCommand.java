package dev.hyphae.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyphae testnet}: a test network of many nodes in this one process, on loopback, federating
 * over libp2p with Tor and mDNS off. It creates users and rooms, sends messages for a while, can
 * restart nodes and split the network, and reports delivery latency, convergence, losses, bytes
 * on the wire and memory (as CSV, an SVG plot and a text summary in the run directory).
 */
@Command(name = "testnet", mixinStandardHelpOptions = true,
        description = "Run a local test network of many nodes in one process and measure it.")
final class TestnetCommand implements Callable<Integer> {
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "5", description = "Nodes to start (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--rooms", paramLabel = "R", defaultValue = "1", description = "Rooms, spread over the nodes (default: ${DEFAULT-VALUE}).")
    int rooms;

    @Option(names = "--users-per-node", paramLabel = "U", defaultValue = "1",
            description = "Accounts on each node; all join the node's rooms (default: ${DEFAULT-VALUE}).")
    int usersPerNode;

    @Option(names = "--nodes-per-room", paramLabel = "K",
            description = "Nodes in each room: room r is on nodes r .. r+K-1 (default: all nodes).")
    Integer nodesPerRoom;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "30s",
            description = "How long messages are sent: 500ms, 30s, 2m, PT1M (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--rate", paramLabel = "MSG/S", defaultValue = "5",
            description = "Messages a second over the whole network (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--churn", paramLabel = "COUNT", defaultValue = "0",
            description = "Node restarts while messages flow, evenly spaced (after the partition has healed, if any); node 0 is never stopped (default: ${DEFAULT-VALUE}).")
    int churn;

    @Option(names = "--churn-downtime", paramLabel = "D", defaultValue = "5s",
            description = "How long a restarted node stays down (default: ${DEFAULT-VALUE}).")
    String churnDowntime;

    @Option(names = "--partition", paramLabel = "D",
            description = "Cut the network between its two halves for D (under a quarter of --duration), a quarter into the traffic, then heal (default: no partition).")
    String partition;

    @Option(names = "--settle", paramLabel = "D", defaultValue = "60s",
            description = "Longest wait after the traffic for deliveries and convergence (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Where node data and results go (default: ./testnet-<date>-<time>).")
    Path runDirectory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        TestnetPlan plan = plan();
        // A hundred nodes logging every retried transaction drown the progress lines and contend
        // for stderr; warnings and errors still show. -Dorg.slf4j.simpleLogger.defaultLogLevel=info
        // brings the rest back.
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "warn");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("testnet: run directory " + plan.runDirectory().toAbsolutePath());
        TestnetResult result;
        try (Testnet testnet = new Testnet(plan, out)) {
            result = testnet.run();
        }
        TestnetReport report = new TestnetReport(result);
        report.write(plan.runDirectory().resolve("results"))
                .forEach(file -> out.println("testnet: wrote " + file));
        report.print(out);
        return result.passed() ? 0 : 1;
    }

    /** The run's plan from the options; a bad value is a usage error naming its option. */
    TestnetPlan plan() {
        try {
            Duration traffic = TestnetPlan.parseDuration("--duration", duration);
            Duration downtime = TestnetPlan.parseDuration("--churn-downtime", churnDowntime);
            Duration cut = partition == null ? Duration.ZERO : TestnetPlan.parseDuration("--partition", partition);
            Duration wait = TestnetPlan.parseDuration("--settle", settle);
            Path directory = runDirectory != null ? runDirectory : Path.of("testnet-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            return new TestnetPlan(nodes, rooms, usersPerNode, nodesPerRoom == null ? nodes : nodesPerRoom, traffic,
                    rate, churn, downtime, cut, wait, directory);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
