package dev.hyphae.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a run's figures: raw deliveries and convergence times as CSV, the headline figures as CSV
 * and as a short text, and the distribution of delivery latency as an SVG plot.
 */
final class TestnetReport {
    /** Every delivery crossed libp2p: Tor is off in a test network. */
    static final String TRANSPORT = "libp2p";

    private final TestnetResult result;

    TestnetReport(TestnetResult result) {
        this.result = result;
    }

    /** Writes deliveries.csv, convergence.csv, summary.csv, summary.txt and latency.svg into {@code directory}. */
    List<Path> write(Path directory) {
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            written.add(writeDeliveries(directory.resolve("deliveries.csv")));
            written.add(writeConvergence(directory.resolve("convergence.csv")));
            Path summaryCsv = directory.resolve("summary.csv");
            try (Writer writer = Files.newBufferedWriter(summaryCsv, StandardCharsets.UTF_8)) {
                writer.write("metric,value\n");
                for (Map.Entry<String, String> figure : figures().entrySet()) {
                    writer.write(figure.getKey() + "," + figure.getValue() + "\n");
                }
            }
            written.add(summaryCsv);
            Path summaryText = directory.resolve("summary.txt");
            Files.writeString(summaryText, summary(), StandardCharsets.UTF_8);
            written.add(summaryText);
            written.add(writePlot(directory.resolve("latency.svg")));
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + directory + ": " + e.getMessage(), e);
        }
    }

    private Path writeDeliveries(Path file) throws IOException {
        long origin = result.deliveries().stream().mapToLong(Deliveries.Delivery::sentNanos).min().orElse(0);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("message,room,sender_node,receiver_node,transport,sent_at_ms,latency_ms\n");
            for (Deliveries.Delivery d : result.deliveries()) {
                writer.write(String.format(Locale.ROOT, "%d,%d,%d,%d,%s,%.3f,%.3f%n", d.number(), d.room(),
                        d.senderNode(), d.node(), TRANSPORT, (d.sentNanos() - origin) / 1e6, d.latencyNanos() / 1e6));
            }
        }
        return file;
    }

    private Path writeConvergence(Path file) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("event,room,seconds,converged\n");
            for (TestnetResult.Convergence c : result.convergence()) {
                writer.write(String.format(Locale.ROOT, "%s,%d,%.3f,%s%n", c.event(), c.room(), c.seconds(),
                        c.converged()));
            }
        }
        return file;
    }

    private Path writePlot(Path file) throws IOException {
        double[] latencies = latenciesMillis();
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title(String.format(Locale.ROOT, "Delivery latency, %d nodes, %d rooms", result.plan().nodes(),
                        result.plan().rooms()))
                .xAxisTitle("latency (ms)").yAxisTitle("deliveries at or below (%)").build();
        chart.getStyler().setLegendVisible(true);
        double[] x = latencies.length == 0 ? new double[] {0} : latencies;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = latencies.length == 0 ? 0 : 100.0 * (i + 1) / x.length;
        }
        chart.addSeries(TRANSPORT, x, y).setMarker(SeriesMarkers.NONE);
        VectorGraphicsEncoder.saveVectorGraphic(chart, file.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return file;
    }

    /** Latencies in milliseconds, sorted. */
    double[] latenciesMillis() {
        double[] latencies = result.deliveries().stream().mapToDouble(d -> d.latencyNanos() / 1e6).toArray();
        Arrays.sort(latencies);
        return latencies;
    }

    /** The value at or below which {@code p} percent of the sorted {@code values} lie (nearest rank); 0 for none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The headline figures, in the order the summary lists them. */
    Map<String, String> figures() {
        TestnetPlan plan = result.plan();
        double[] latencies = latenciesMillis();
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("nodes", Integer.toString(plan.nodes()));
        figures.put("rooms", Integer.toString(plan.rooms()));
        figures.put("users_per_node", Integer.toString(plan.usersPerNode()));
        figures.put("nodes_per_room", Integer.toString(plan.nodesPerRoom()));
        figures.put("duration_s", number(plan.duration().toMillis() / 1000.0));
        figures.put("rate_per_s", number(plan.rate()));
        figures.put("churn", Integer.toString(plan.churn()));
        figures.put("partition_s", number(plan.partition().toMillis() / 1000.0));
        figures.put("start_s", number(result.startSeconds()));
        figures.put("join_s", number(result.joinSeconds()));
        figures.put("messages_sent", Long.toString(result.sent()));
        figures.put("send_failures", Long.toString(result.sendFailures()));
        figures.put("deliveries_expected", Long.toString(result.expectedDeliveries()));
        figures.put("deliveries_seen", Integer.toString(result.deliveries().size()));
        figures.put("messages_lost", Long.toString(result.lost()));
        figures.put("messages_duplicated", Long.toString(result.duplicated()));
        figures.put("rooms_diverged", Integer.toString(result.divergedRooms()));
        figures.put(TRANSPORT + "_latency_p50_ms", number(percentile(latencies, 50)));
        figures.put(TRANSPORT + "_latency_p90_ms", number(percentile(latencies, 90)));
        figures.put(TRANSPORT + "_latency_p99_ms", number(percentile(latencies, 99)));
        figures.put(TRANSPORT + "_latency_max_ms", number(latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
        for (String event : List.of("partition healed", "end of traffic")) {
            result.convergence().stream().filter(c -> c.event().equals(event))
                    .mapToDouble(TestnetResult.Convergence::seconds).max()
                    .ifPresent(s -> figures.put("converge_" + event.replace(' ', '_') + "_s", number(s)));
        }
        result.convergence().stream().filter(c -> c.event().startsWith("restart"))
                .mapToDouble(TestnetResult.Convergence::seconds).max()
                .ifPresent(s -> figures.put("converge_restart_max_s", number(s)));
        figures.put("wire_bytes", Long.toString(result.wireBytes()));
        figures.put("wire_bytes_per_message", Long.toString(result.sent() == 0 ? 0 : result.wireBytes() / result.sent()));
        figures.put("heap_used_idle_bytes", Long.toString(result.idle().heapUsedBytes()));
        figures.put("heap_per_node_idle_bytes", Long.toString(result.idle().heapPerNode()));
        figures.put("rss_idle_bytes", Long.toString(result.idle().rssBytes()));
        figures.put("heap_used_end_bytes", Long.toString(result.end().heapUsedBytes()));
        figures.put("heap_per_node_end_bytes", Long.toString(result.end().heapPerNode()));
        figures.put("rss_end_bytes", Long.toString(result.end().rssBytes()));
        figures.put("rss_per_node_end_bytes", Long.toString(result.end().rssPerNode()));
        figures.put("threads_end", Integer.toString(result.end().threads()));
        return figures;
    }

    /** A few lines for a person: what ran, what arrived, how fast, what it cost. */
    String summary() {
        TestnetPlan plan = result.plan();
        double[] latencies = latenciesMillis();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Test network: %d nodes, %d rooms of %d nodes, %d users a node, "
                        + "%.1f messages/s for %s, churn %d, partition %s%n", plan.nodes(), plan.rooms(),
                plan.nodesPerRoom(), plan.usersPerNode(), plan.rate(), plan.duration(), plan.churn(),
                plan.partitioned() ? plan.partition().toString() : "none"));
        text.append(String.format(Locale.ROOT, "  started in %.1f s, rooms joined in %.1f s%n", result.startSeconds(),
                result.joinSeconds()));
        text.append(String.format(Locale.ROOT, "  messages: %d sent (%d refused while a node was down), "
                        + "%d/%d deliveries seen, %d lost, %d duplicated%n", result.sent(), result.sendFailures(),
                result.deliveries().size(), result.expectedDeliveries(), result.lost(), result.duplicated()));
        text.append(String.format(Locale.ROOT, "  latency (%s): p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                TRANSPORT, percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
        for (Map.Entry<String, String> figure : figures().entrySet()) {
            if (figure.getKey().startsWith("converge_")) {
                text.append("  ").append(figure.getKey().replace('_', ' ')).append(": ").append(figure.getValue())
                        .append('\n');
            }
        }
        text.append(String.format(Locale.ROOT, "  rooms in one state at the end: %d/%d%n",
                plan.rooms() - result.divergedRooms(), plan.rooms()));
        text.append(String.format(Locale.ROOT, "  libp2p bytes on the wire: %d (%d a message sent)%n",
                result.wireBytes(), result.sent() == 0 ? 0 : result.wireBytes() / result.sent()));
        text.append(String.format(Locale.ROOT, "  memory: heap after GC %d MiB idle, %d MiB at end (%d KiB a node); "
                        + "RSS %d MiB at end (%d MiB a node); %d threads%n", result.idle().heapUsedBytes() >> 20,
                result.end().heapUsedBytes() >> 20, result.end().heapPerNode() >> 10, result.end().rssBytes() >> 20,
                result.end().rssPerNode() >> 20, result.end().threads()));
        text.append(result.passed() ? "  result: PASS (nothing lost, one state everywhere)\n"
                : "  result: FAIL (messages lost or duplicated, or rooms not in one state)\n");
        return text.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** Prints the summary to {@code out}. */
    void print(PrintWriter out) {
        out.print(summary());
        out.flush();
    }
}
