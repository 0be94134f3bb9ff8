package dev.hyphae.transport.libp2p.connection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A js-libp2p 3.3 peer (a script of the js project in src/test/js, by default peer.mjs) run with
 * Node: installs the project's npm packages with {@code npm ci} when they are missing or stale,
 * starts the script, and speaks its line protocol on standard input and output.
 */
public final class JsLibp2pPeer implements AutoCloseable {

    static final Path PROJECT = Path.of("src", "test", "js");
    /** Where the js side's output goes (the module's build directory). */
    static final Path LOGS = Path.of("target", "js-peer");

    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String listenAddress;

    private JsLibp2pPeer(Process process) throws Exception {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("EOF " + e.getMessage());
            }
        }, "js-libp2p-stdout");
        reader.setDaemon(true);
        reader.start();
        this.listenAddress = expectAny(60, "LISTEN ").substring("LISTEN ".length());
    }

    /** Whether Node is on the PATH; the interop tests need it. */
    public static boolean nodeAvailable() {
        try {
            return new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static JsLibp2pPeer start() throws Exception {
        return start("peer.mjs");
    }

    /** Starts one of the js project's scripts, installing the project's npm packages first when needed. */
    public static JsLibp2pPeer start(String script, String... args) throws Exception {
        Files.createDirectories(LOGS);
        installPackages();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command)
            .directory(PROJECT.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(LOGS.resolve(script + ".log").toFile()))
            .start();
        return new JsLibp2pPeer(node);
    }

    /**
     * Runs {@code npm ci} unless node_modules already matches package-lock.json (npm keeps a copy
     * of the lock file it installed in node_modules/.package-lock.json).
     */
    private static synchronized void installPackages() throws IOException, InterruptedException {
        Path lock = PROJECT.resolve("package-lock.json");
        Path installed = PROJECT.resolve("node_modules").resolve(".package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        // Output goes to a file: the test JVM's own stdout is the channel to Maven, and a child
        // writing to it corrupts that channel.
        Path log = LOGS.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(PROJECT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci failed in " + PROJECT.toAbsolutePath() + "; see " + log);
        }
    }

    /** The js peer's listen address, ending in {@code /p2p/<id>}. */
    public String listenAddress() {
        return listenAddress;
    }

    public void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    /** The next output line starting with {@code prefix}; other lines are skipped. */
    public String expect(String prefix) throws InterruptedException {
        return expectAny(prefix);
    }

    /** The next output line starting with any of {@code prefixes}, waiting at most 30 s. */
    public String expectAny(String... prefixes) throws InterruptedException {
        return expectAny(30, prefixes);
    }

    /** The next output line starting with any of {@code prefixes}, waiting at most {@code timeoutSeconds}. */
    public String expectAny(long timeoutSeconds, String... prefixes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IllegalStateException("js peer did not print " + String.join(" or ", prefixes));
            }
            for (String p : prefixes) {
                if (line.startsWith(p)) {
                    return line;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        stdin.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
