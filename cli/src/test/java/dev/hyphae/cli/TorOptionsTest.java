package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hyphae.transport.tor.BootstrapListener;
import dev.hyphae.transport.tor.BootstrapStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TorOptionsTest {
    private static TorOptions parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.torOptions;
    }

    @Test
    void bootstrapProgressIsPrintedOnceForEachNewPercentage() {
        StringWriter out = new StringWriter();
        BootstrapListener printer = TorOptions.progressPrinter(new PrintWriter(out));

        printer.bootstrapProgress(new BootstrapStatus(45, "requesting_descriptors", "Asking for relay descriptors"));
        printer.bootstrapProgress(new BootstrapStatus(45, "requesting_descriptors", "Asking for relay descriptors"));
        printer.bootstrapProgress(new BootstrapStatus(100, "done", "Done"));

        assertEquals(List.of("tor: bootstrapped 45%: Asking for relay descriptors", "tor: bootstrapped 100%: Done"),
                out.toString().lines().toList());
    }

    @Test
    void torIsOffWhenRefusedAndOnWhenAskedForWhateverIsInstalled() {
        assertFalse(parse("--no-tor").enabled());
        assertTrue(parse("--tor", "--tor-command", "/nonexistent/tor").enabled());
        assertTrue(parse("--tor").required());
        assertFalse(parse().required());
    }

    @Test
    void byDefaultTorIsOnOnlyWhenItsBinaryIsFound() {
        assertFalse(parse("--tor-command", "/nonexistent/tor").enabled());
    }

    @Test
    void torrcLinesAreRepeatableAndKeptWhole() {
        TorOptions options = parse("--torrc-line", "TestingTorNetwork 1", "--torrc-line", "PathsNeededToBuildCircuits 0.67");

        assertEquals(List.of("TestingTorNetwork 1", "PathsNeededToBuildCircuits 0.67"),
                options.config(Path.of("/tmp/hyphae-test")).extraTorrcLines());
        assertEquals(Path.of("/tmp/hyphae-test/tor"), options.config(Path.of("/tmp/hyphae-test")).directory());
    }
}
