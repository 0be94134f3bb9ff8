package dev.hyphae.cli;

import dev.hyphae.transport.tor.BootstrapListener;
import dev.hyphae.transport.tor.BundledTor;
import dev.hyphae.transport.tor.TorBinary;
import dev.hyphae.transport.tor.TorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Option;

/**
 * The node's Tor settings: whether it runs its own tor (by default when a tor binary is found or carried),
 * which binary, and extra torrc lines (a private test network's {@code DirAuthority} lines).
 */
final class TorOptions {
    @Option(names = "--tor", negatable = true,
            description = "Serve and call federation over Tor, as the onion service of the node's key"
                    + " (default: on when a tor binary is found).")
    Boolean tor;

    @Option(names = "--tor-command", paramLabel = "PATH", defaultValue = "tor",
            description = "The tor binary: a path, or a name looked up on PATH and in /usr/sbin; when the default"
                    + " 'tor' is not installed, the tor carried in hyphae.jar is used (default: ${DEFAULT-VALUE}).")
    String torCommand;

    @Option(names = "--torrc-line", paramLabel = "LINE",
            description = "A line added to the node's torrc; may be repeated.")
    List<String> torrcLines = new ArrayList<>();

    /**
     * On when asked for, off when refused, otherwise on when there is a tor to run: the system's,
     * or for the plain command {@code tor} the one this program carries.
     */
    boolean enabled() {
        return tor != null ? tor : TorBinary.available(torCommand, BundledTor.forThisSystem());
    }

    /** Whether the operator asked for Tor explicitly, so that failing to start it is an error. */
    boolean required() {
        return Boolean.TRUE.equals(tor);
    }

    TorConfig config(Path dataDir) {
        return TorConfig.defaults(dataDir.resolve("tor")).withTorCommand(torCommand).withExtraTorrcLines(torrcLines);
    }

    /** One line per new percentage: "tor: bootstrapped 45%: Asking for relay descriptors". */
    static BootstrapListener progressPrinter(PrintWriter out) {
        AtomicInteger last = new AtomicInteger(-1);
        return status -> {
            if (last.getAndSet(status.percent()) != status.percent()) {
                out.println("tor: bootstrapped " + status.percent() + "%: " + status.summary());
                out.flush();
            }
        };
    }
}
