package dev.hyphae.transport.tor;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far tor has come in bootstrapping, as its control port reports it
 * ({@code NOTICE BOOTSTRAP PROGRESS=45 TAG=requesting_descriptors SUMMARY="Asking for relay descriptors"}).
 */
public record BootstrapStatus(int percent, String tag, String summary) {
    private static final Pattern PROGRESS = Pattern.compile("\\bBOOTSTRAP\\b.*?\\bPROGRESS=(\\d{1,3})\\b");
    private static final Pattern TAG = Pattern.compile("\\bTAG=(\\S+)");
    private static final Pattern SUMMARY = Pattern.compile("\\bSUMMARY=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public BootstrapStatus {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("bootstrap percent out of 0..100: " + percent);
        }
        tag = tag == null ? "" : tag;
        summary = summary == null ? "" : summary;
    }

    /** Done means tor has a consensus and circuits: it can reach onion services. */
    public boolean done() {
        return percent == 100;
    }

    /**
     * Reads a bootstrap status from the body of a {@code STATUS_CLIENT} event or of
     * {@code GETINFO status/bootstrap-phase}; empty for other client statuses.
     */
    public static Optional<BootstrapStatus> parse(String line) {
        if (line == null) {
            return Optional.empty();
        }
        Matcher progress = PROGRESS.matcher(line);
        if (!progress.find()) {
            return Optional.empty();
        }
        int percent = Integer.parseInt(progress.group(1));
        if (percent > 100) {
            return Optional.empty();
        }
        Matcher tag = TAG.matcher(line);
        Matcher summary = SUMMARY.matcher(line);
        return Optional.of(new BootstrapStatus(percent,
            tag.find() ? tag.group(1) : "",
            summary.find() ? summary.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : ""));
    }

    @Override
    public String toString() {
        return percent + "% (" + tag + "): " + summary;
    }
}
