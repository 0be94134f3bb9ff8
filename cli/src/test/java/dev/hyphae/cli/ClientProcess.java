package dev.hyphae.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Matrix client run as a process to its end: its standard output (one {@code OK <step>}
 * line per step that worked, a {@code FAIL <step>: <reason>} line on failure) and its exit status; its standard error goes to a log file in the
 * module's build directory.
 */
record ClientProcess(int exitCode, List<String> lines, Path errorLog) {
    static final Path LOGS = Path.of("target", "real-clients");

    /**
     * Runs {@code command} in {@code directory}, killing it after {@code timeoutSeconds}.
     *
     * @throws AssertionError when it does not end in time
     */
    static ClientProcess run(Path directory, String logName, long timeoutSeconds, List<String> command)
            throws IOException, InterruptedException {
        Files.createDirectories(LOGS);
        Path stdout = LOGS.resolve(logName + ".out");
        Path stderr = LOGS.resolve(logName + ".log");
        // Output goes to files: the test JVM's own stdout is the channel to Maven.
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            ClientProcess cut = new ClientProcess(-1, Files.readAllLines(stdout), stderr.toAbsolutePath());
            throw new AssertionError(command.get(0) + " did not finish in " + timeoutSeconds + " s: " + cut.report());
        }
        return new ClientProcess(process.exitValue(), Files.readAllLines(stdout), stderr.toAbsolutePath());
    }

    /** Whether the client printed {@code OK <step>}. */
    boolean passed(String step) {
        return lines.stream().anyMatch(line -> line.equals("OK " + step) || line.startsWith("OK " + step + " "));
    }

    /** What to show when the client failed: its step lines (its libraries log to stdout too). */
    String report() {
        List<String> steps = lines.stream()
                .filter(line -> line.startsWith("OK ") || line.startsWith("FAIL ") || line.equals("DONE")).toList();
        return "exit " + exitCode + ", steps " + steps + ", full output in " + LOGS.toAbsolutePath()
                + ", errors in " + errorLog;
    }
}
