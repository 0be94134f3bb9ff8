package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small test network, end to end: five nodes, two rooms, one node restarted, one partition healed. */
class TestnetCommandIT {
    @TempDir
    Path runDir;

    @Test
    void everyMessageReachesEveryNodeOfItsRoomOnceAndRoomsConvergeAfterChurnAndAPartition() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Hyphae.execute(new String[] {"testnet", "--nodes", "5", "--rooms", "2", "--duration", "16s",
                "--rate", "2", "--churn", "1", "--churn-downtime", "2s", "--partition", "3s", "--settle", "90s",
                "--run-dir", runDir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true), Map.of());

        assertEquals(0, exit, out + "\n" + err);
        Path results = runDir.resolve("results");
        Map<String, String> summary = summary(results.resolve("summary.csv"));
        assertTrue(Long.parseLong(summary.get("messages_sent")) > 0, summary.toString());
        assertEquals("0", summary.get("messages_lost"), summary.toString());
        assertEquals("0", summary.get("messages_duplicated"), summary.toString());
        assertEquals("0", summary.get("rooms_diverged"), summary.toString());
        assertEquals(summary.get("deliveries_expected"), summary.get("deliveries_seen"), summary.toString());

        List<String> convergence = Files.readAllLines(results.resolve("convergence.csv"));
        assertEquals("event,room,seconds,converged", convergence.get(0));
        for (String event : List.of("partition healed", "restart of node 1", "end of traffic")) {
            for (int room = 0; room < 2; room++) {
                String prefix = event + "," + room + ",";
                assertTrue(convergence.stream().anyMatch(line -> line.startsWith(prefix) && line.endsWith(",true")),
                        prefix + " in " + convergence);
            }
        }
        List<String> deliveries = Files.readAllLines(results.resolve("deliveries.csv"));
        assertEquals("message,room,sender_node,receiver_node,transport,sent_at_ms,latency_ms", deliveries.get(0));
        assertEquals(Long.parseLong(summary.get("deliveries_seen")), deliveries.size() - 1);
        assertTrue(Files.readString(results.resolve("latency.svg")).contains("<svg"));
        assertTrue(Files.readString(results.resolve("summary.txt")).contains("result: PASS"));
        assertTrue(out.toString().contains("testnet: nodes started 5/5"), out.toString());
        assertTrue(out.toString().contains("partition healed"), out.toString());
    }

    private static Map<String, String> summary(Path file) throws IOException {
        Map<String, String> figures = new HashMap<>();
        for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
            String[] parts = line.split(",", 2);
            figures.put(parts[0], parts[1]);
        }
        return figures;
    }
}
