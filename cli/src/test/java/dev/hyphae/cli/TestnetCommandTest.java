package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestnetCommandTest {
    @TempDir
    Path runDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... options) {
        List<String> args = new ArrayList<>(List.of("testnet", "--run-dir", runDir.resolve("run").toString()));
        args.addAll(List.of(options));
        return Hyphae.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--nodes 0                          | --nodes must be between 2 and 1000, not 0",
        "--nodes 1                          | --nodes must be between 2 and 1000, not 1",
        "--rooms 0                          | --rooms must be at least 1, not 0",
        "--users-per-node 0                 | --users-per-node must be at least 1, not 0",
        "--nodes 4 --nodes-per-room 5       | --nodes-per-room must be between 2 and --nodes (4), not 5",
        "--duration soon                    | --duration must be a duration like 500ms, 30s, 2m or PT1M, not 'soon'",
        "--duration 0s                      | --duration must be positive",
        "--rate 0                           | --rate must be above 0",
        "--churn -1                         | --churn must not be negative, not -1",
        "--duration 10s --partition 3s      | --partition must be shorter than a quarter of --duration",
        "--partition 3 --duration 10s       | --partition must be a duration like 500ms, 30s, 2m or PT1M, not '3'",
        "--nodes 2 --duration 4s --churn 2  | --churn 2 times --churn-downtime does not fit into --duration on 1 nodes",
    })
    void aBadOptionIsRefusedInOneLineBeforeAnyNodeStarts(String options, String reason) {
        int exit = run(options.trim().split("\\s+"));

        assertEquals(2, exit, err.toString());
        String firstLine = err.toString().lines().findFirst().orElse("");
        assertTrue(firstLine.startsWith("hyphae: " + reason), err.toString());
        assertFalse(Files.exists(runDir.resolve("run")), "no run directory for a refused run");
        assertEquals("", out.toString());
    }

    @Test
    void aNumberThatIsNotANumberIsAUsageError() {
        assertEquals(2, run("--nodes", "many"));
        assertTrue(err.toString().contains("--nodes"), err.toString());
    }

    @Test
    void durationsAreReadInShortAndIsoForms() {
        assertEquals(Duration.ofMillis(500), TestnetPlan.parseDuration("--duration", "500ms"));
        assertEquals(Duration.ofSeconds(30), TestnetPlan.parseDuration("--duration", "30s"));
        assertEquals(Duration.ofSeconds(90), TestnetPlan.parseDuration("--duration", "1.5m"));
        assertEquals(Duration.ofHours(1), TestnetPlan.parseDuration("--duration", "1h"));
        assertEquals(Duration.ofMinutes(2), TestnetPlan.parseDuration("--duration", "PT2M"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TestnetPlan.parseDuration("--settle", "10 seconds"));
        assertTrue(bad.getMessage().startsWith("--settle "), bad.getMessage());
    }

    @Test
    void roomsAreSpreadOverConsecutiveNodesAndTheHalvesSplitTheNodes() {
        TestnetPlan plan = new TestnetPlan(5, 5, 1, 3, Duration.ofSeconds(10), 1, 0, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(10), runDir);
        assertEquals(List.of(0, 1, 2), asList(plan.roomNodes(0)));
        assertEquals(List.of(4, 0, 1), asList(plan.roomNodes(4)));
        assertEquals(0, plan.side(1));
        assertEquals(1, plan.side(2));
        assertFalse(plan.partitioned());
    }

    private static List<Integer> asList(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertEquals(50, TestnetReport.percentile(sorted, 50));
        assertEquals(90, TestnetReport.percentile(sorted, 90));
        assertEquals(100, TestnetReport.percentile(sorted, 99));
        assertEquals(0, TestnetReport.percentile(new double[0], 50));
    }
}
