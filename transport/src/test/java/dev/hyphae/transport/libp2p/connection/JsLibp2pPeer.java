package dev.hyphae.transport.libp2p.connection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A js-libp2p 3.3 peer (src/test/js/peer.mjs) run with Node: installs its npm packages with
 * {@code npm ci} when node_modules is missing, starts it, and speaks its line protocol.
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
        this.listenAddress = expect("LISTEN ").substring("LISTEN ".length());
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
        Files.createDirectories(LOGS);
        if (!Files.isDirectory(PROJECT.resolve("node_modules"))) {
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
        Process node = new ProcessBuilder("node", "peer.mjs")
            .directory(PROJECT.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(LOGS.resolve("js-peer.log").toFile()))
            .start();
        return new JsLibp2pPeer(node);
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

    /** The next output line starting with any of {@code prefixes}. */
    public String expectAny(String... prefixes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
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
