package dev.hyphae.node.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The figures a scrape reports, each read from its source when scraped (nothing is copied or kept
 * here), written in Prometheus' text exposition format 0.0.4.
 */
public final class MetricsRegistry {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** A metric's kind, as the {@code # TYPE} line names it. */
    public enum Type { GAUGE, COUNTER }

    private record Family(String name, String help, Type type, Supplier<Map<Map<String, String>, Double>> samples) {
    }

    private final List<Family> families = new ArrayList<>();

    /** One unlabelled figure. */
    public synchronized MetricsRegistry add(String name, String help, Type type, DoubleSupplier value) {
        Objects.requireNonNull(value, "value");
        return addLabelled(name, help, type, () -> Map.of(Map.of(), value.getAsDouble()));
    }

    /** A family of figures told apart by labels, such as one per carrier. */
    public synchronized MetricsRegistry addLabelled(String name, String help, Type type,
            Supplier<Map<Map<String, String>, Double>> samples) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (families.stream().anyMatch(f -> f.name().equals(name))) {
            throw new IllegalArgumentException("metric already added: " + name);
        }
        families.add(new Family(name, Objects.requireNonNull(help, "help"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(samples, "samples")));
        return this;
    }

    /** Every figure as it is now, in the text format. A source that fails is left out, not the scrape. */
    public synchronized String scrape() {
        StringBuilder out = new StringBuilder();
        for (Family family : families) {
            Map<Map<String, String>, Double> samples;
            try {
                samples = family.samples().get();
            } catch (RuntimeException e) {
                continue;
            }
            out.append("# HELP ").append(family.name()).append(' ').append(escapeHelp(family.help())).append('\n');
            out.append("# TYPE ").append(family.name()).append(' ').append(family.type().name().toLowerCase()).append('\n');
            samples.forEach((labels, value) -> {
                out.append(family.name());
                if (!labels.isEmpty()) {
                    out.append('{');
                    String separator = "";
                    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
                        out.append(separator).append(label.getKey()).append("=\"").append(escapeLabel(label.getValue()))
                                .append('"');
                        separator = ",";
                    }
                    out.append('}');
                }
                out.append(' ').append(format(value)).append('\n');
            });
        }
        return out.toString();
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
